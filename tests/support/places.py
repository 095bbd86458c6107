"""A geofence and a point inside it, at Bangkok City Hall."""

SQUARE_CITY_HALL = {  # about 200 m x 170 m around Bangkok City Hall, Sao Chingcha
    "type": "Polygon",
    "coordinates": [[[100.4999, 13.7525], [100.5017, 13.7525], [100.5017, 13.7540],
                     [100.4999, 13.7540], [100.4999, 13.7525]]],
}
INSIDE_CITY_HALL = (13.7532, 100.5008)  # (latitude, longitude)
