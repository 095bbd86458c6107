from flask.views import MethodView

from checkin.accounts.auth import current_user
from checkin.accounts.roles import ADMIN, HR, SUPERVISOR
from checkin.api import Blueprint
from checkin.database import db

from . import service
from .schemas import SiteCollectionSchema, SiteFeatureSchema

blp = Blueprint("sites", __name__, url_prefix="/api/v1",
                description="Check-in sites and their geofences, as GeoJSON")


@blp.route("/sites")
class Sites(MethodView):
    @blp.login_required(ADMIN, HR, SUPERVISOR)
    @blp.response(200, SiteCollectionSchema)
    def get(self):
        """List active sites as a GeoJSON FeatureCollection"""
        return service.to_feature_collection(service.list_sites())

    @blp.login_required(ADMIN)
    @blp.alt_response(409, response="CONFLICT")
    @blp.arguments(SiteFeatureSchema)
    @blp.response(201, SiteFeatureSchema)
    def post(self, feature):
        """Create a site from a GeoJSON Feature (Polygon or MultiPolygon)"""
        site = service.create_site(feature, current_user())
        db.session.commit()
        return service.to_feature(site)


@blp.route("/sites/<int:site_id>")
class SiteById(MethodView):
    @blp.login_required(ADMIN, HR, SUPERVISOR)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(200, SiteFeatureSchema)
    def get(self, site_id):
        """Get a site as a GeoJSON Feature"""
        return service.to_feature(service.get_site(site_id))

    @blp.login_required(ADMIN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.arguments(SiteFeatureSchema)
    @blp.response(200, SiteFeatureSchema)
    def put(self, feature, site_id):
        """Replace a site's geometry and properties"""
        site = service.replace_site(service.get_site(site_id), feature, current_user())
        db.session.commit()
        return service.to_feature(site)

    @blp.login_required(ADMIN)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.response(204)
    def delete(self, site_id):
        """Archive a site: it stops being a check-in place; past check-ins keep it"""
        service.archive_site(service.get_site(site_id), current_user())
        db.session.commit()
