"""Import every model module so Base.metadata knows all tables (Alembic, tests)."""


def import_all_models() -> None:
    import geofences.models  # noqa: F401

    from . import models  # noqa: F401
    from .accounts import models as _accounts  # noqa: F401
    from .audit import models as _audit  # noqa: F401
    from .biometrics import models as _biometrics  # noqa: F401
    from .org import models as _org  # noqa: F401
    from .reports import jobs as _report_jobs  # noqa: F401
    from .timekeeping import models as _timekeeping  # noqa: F401
