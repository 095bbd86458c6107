"""Leave types of the 2555 (2012) leave regulation, with the codes the API uses. Pure."""

LEAVE_TYPES = {
    # code: Thai name (ระเบียบว่าด้วยการลาของข้าราชการ พ.ศ. 2555)
    "sick": "ลาป่วย",
    "personal": "ลากิจส่วนตัว",
    "vacation": "ลาพักผ่อน",
    "maternity": "ลาคลอดบุตร",
    "paternity": "ลาไปช่วยเหลือภริยาที่คลอดบุตร",
    "ordination_hajj": "ลาอุปสมบทหรือลาไปประกอบพิธีฮัจย์",
    "military": "ลาเข้ารับการตรวจเลือกหรือเข้ารับการเตรียมพล",
    "study_training": "ลาไปศึกษา ฝึกอบรม ปฏิบัติการวิจัย หรือดูงาน",
    "international_org": "ลาไปปฏิบัติงานในองค์การระหว่างประเทศ",
    "spouse_follow": "ลาติดตามคู่สมรส",
    "rehabilitation": "ลาไปฟื้นฟูสมรรถภาพด้านอาชีพ",
    "sick_long_term": "ลาป่วยจำเป็นต้องรักษาตัวเป็นเวลานาน",
    "sick_on_duty": "ลาป่วยเพราะประสบอันตรายในขณะปฏิบัติราชการ",
}
