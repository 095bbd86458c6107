from sqlalchemy import Select, func, select

from .database import db


def paginate(query: Select, pagination_parameters) -> list:
    """One page of a select(); the total goes to smorest's X-Pagination header."""
    pagination_parameters.item_count = db.session.scalar(
        select(func.count()).select_from(query.order_by(None).subquery())
    )
    offset = (pagination_parameters.page - 1) * pagination_parameters.page_size
    return list(db.session.scalars(query.offset(offset).limit(pagination_parameters.page_size)))
