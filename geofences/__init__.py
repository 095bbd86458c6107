"""Sites, their geofence polygons, and the pure geometry that measures a GPS fix against them."""
