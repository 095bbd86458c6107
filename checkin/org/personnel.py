"""Kinds of personnel and ways of leaving service, with the Thai words HR uses. Pure."""

# Personnel types follow different rules (the salary-step policy may give each its own limits).
PERSONNEL_TYPES = {"civil_servant": "ข้าราชการ", "permanent_employee": "ลูกจ้างประจำ", "employee": "พนักงาน"}

# Why a person left service; the days after it are not theirs to attend.
END_REASONS = {"resigned": "ลาออก", "retired": "เกษียณอายุราชการ", "transferred": "โอนย้าย", "died": "ถึงแก่กรรม"}
