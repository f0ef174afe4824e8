"""Demo catalogue: every service of the published standards, in Thai, with real steps.

Officers' names, phones and e-mails are invented. Pages are looked up by slug,
so running the loader again changes nothing.
"""

from django.db import transaction

from home.models import HomePage
from services.catalogue.models import ServiceFormField, ServiceIndexPage, ServicePage

EQUIPMENT = "ครุภัณฑ์และบัญชีผู้ใช้"
MEETINGS = "ห้องประชุมออนไลน์ ประชุมทางไกล และถ่ายทอดสด"
REPAIRS = "ซ่อมบำรุงคอมพิวเตอร์และเครือข่าย"
INFORMATION = "ข้อมูลสารสนเทศ"
WEBSITE = "เว็บไซต์และการเผยแพร่ข้อมูล"
COMPLAINTS = "ร้องเรียนและแจ้งเบาะแส"

CHANNELS = "\n".join(
    [
        "ติดต่อด้วยตนเองที่ห้อง DLICT",
        "หนังสือราชการ",
        "โทรศัพท์ 0 4300 0099 ต่อ 209",
        "LINE Official Account @ict-demo",
        "แบบฟอร์มออนไลน์ผ่าน QR Code (หน้านี้)",
    ]
)
WHO = "ผู้บริหาร ข้าราชการ และบุคลากรของสำนักงาน สถานศึกษาในสังกัด และหน่วยงานที่เกี่ยวข้อง"

PDPA = "พระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562"
CYBER = "พระราชบัญญัติการรักษาความมั่นคงปลอดภัยไซเบอร์ พ.ศ. 2562"
COMPUTER_CRIME = "พระราชบัญญัติว่าด้วยการกระทำความผิดเกี่ยวกับคอมพิวเตอร์ พ.ศ. 2550"
COPYRIGHT = "พระราชบัญญัติลิขสิทธิ์ (ฉบับที่ 5) พ.ศ. 2565"
OFFICIAL_INFO = "พระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. 2540"
#: The complaint channel the integrity assessment (ITA) asks for; its figures are
#: published at /ita/complaints/ (``settings.ITA_COMPLAINT_SERVICE_CODE``).
COMPLAINT_CODE = "ICT 10"

OFFICERS = {
    "somchai": (
        "นายสมชาย ใจดี",
        "นักวิชาการคอมพิวเตอร์ชำนาญการ (ผู้ดูแลห้องประชุมออนไลน์และระบบเครือข่าย)",
        "0 4300 0099 ต่อ 211",
        "somchai.j@example.go.th",
    ),
    "anucha": (
        "นายอนุชา แสงทอง",
        "ศึกษานิเทศก์ หัวหน้างานเทคโนโลยีเพื่อการศึกษา",
        "0 4300 0099 ต่อ 209",
        "anucha.s@example.go.th",
    ),
    "pimchanok": (
        "นางสาวพิมพ์ชนก วงศ์ไทย",
        "เจ้าพนักงานธุรการ (รับเรื่องและประสานงาน)",
        "0 4300 0099 ต่อ 212",
        "pimchanok.w@example.go.th",
    ),
    "kittipong": (
        "นายกิตติพงษ์ ทองมา",
        "เจ้าพนักงานเครื่องคอมพิวเตอร์ (งานซ่อมบำรุง)",
        "0 4300 0099 ต่อ 213",
        "kittipong.t@example.go.th",
    ),
    "wanida": (
        "นางวนิดา สายสุวรรณ",
        "นักวิชาการคอมพิวเตอร์ (ข้อมูลสารสนเทศทางการศึกษา)",
        "0 4300 0099 ต่อ 214",
        "wanida.s@example.go.th",
    ),
    "pakorn": (
        "นายปกรณ์ ศรีเมือง",
        "นักประชาสัมพันธ์ (ผู้ดูแลเว็บไซต์)",
        "0 4300 0099 ต่อ 215",
        "pakorn.s@example.go.th",
    ),
}


def officers(*keys):
    return [
        {
            "type": "officer",
            "value": dict(zip(("name", "role", "phone", "email"), OFFICERS[key], strict=True)),
        }
        for key in keys
    ]


def step(
    title,
    kind,
    role,
    amount=None,
    unit=None,
    mode="working",
    label="",
    description="",
    alternatives=(),
    on_no_answer="wait",
):
    return {
        "type": "step",
        "value": {
            "title": title,
            "description": description,
            "kind": kind,
            "role": role,
            "target_amount": amount,
            "target_unit": unit or "",
            "target_mode": mode,
            "target_label": label,
            "alternatives": [
                {
                    "label": alt[0],
                    "amount": alt[1],
                    "unit": alt[2],
                    "mode": alt[3],
                    "categories": alt[4] if len(alt) > 4 else "",
                }
                for alt in alternatives
            ],
            "on_no_answer": on_no_answer,
        },
    }


SERVICES = [
    {
        "slug": "zoom-meeting-room",
        "code": "ICT 01",
        "category": MEETINGS,
        "title": "ขอใช้ห้องประชุมออนไลน์ผ่าน Zoom",
        "form_kind": "booking",
        "summary": "ขอเลขห้องประชุม Zoom พร้อมลิงก์และรหัสผ่าน สำหรับการประชุมของหน่วยงานและสถานศึกษา",
        "headline_target": "ได้รับเลขห้องประชุมภายใน 20 นาที",
        "description": "<p>บริการสร้างห้องประชุมออนไลน์ผ่านระบบ Zoom ของสำนักงาน "
        "เจ้าหน้าที่จะแจ้งเลขห้องประชุม (Meeting ID) ลิงก์ และรหัสผ่าน "
        "และมอบสิทธิ์บันทึกการประชุมหรือสิทธิ์ผู้ควบคุม (Host) ตามเวลาที่ขอ</p>"
        "<p>หัวหน้างานเทคโนโลยีเพื่อการศึกษาเป็นผู้กำกับดูแล "
        "บันทึกข้อความขอใช้และรายงานสรุปผลจัดเก็บไว้ 5 ปี</p>",
        "laws": "\n".join([PDPA, CYBER]),
        "officers": ("somchai", "anucha"),
        "steps": [
            step(
                "รับเรื่องขอใช้ห้องประชุมออนไลน์",
                "intake",
                "officer",
                10,
                "minutes",
                description="รับเรื่องจากบันทึกข้อความ โทรศัพท์ LINE Official Account หรือแบบฟอร์มออนไลน์",
            ),
            step(
                "พิจารณาการให้บริการและแจ้งเลขห้องประชุม",
                "schedule",
                "officer",
                10,
                "minutes",
                description="ให้บริการได้: แจ้งเลขห้องประชุม (ID) ลิงก์ และรหัสผ่าน "
                "ให้บริการไม่ได้: แจ้งเหตุผลให้ผู้ขอทราบ",
            ),
            step(
                "ขอสิทธิ์บันทึกการประชุม / สิทธิ์ผู้ควบคุม (Host) ตามเวลาที่กำหนด",
                "work",
                "requester",
                label="ตามกำหนดการ",
                description="ผู้ขอประสานเจ้าหน้าที่เพื่อรับสิทธิ์ในช่วงเวลาการประชุม",
            ),
            step("รายงานสรุปผลการให้บริการต่อผู้บริหาร", "report", "officer", 20, "minutes"),
        ],
    },
    {
        "slug": "online-meeting-live-stream",
        "code": "ICT 04",
        "category": MEETINGS,
        "title": "ประชุมออนไลน์และถ่ายทอดสดออนไลน์",
        "form_kind": "booking",
        "summary": "ถ่ายทอดสดกิจกรรมและการประชุมของหน่วยงาน พร้อมเตรียมและทดสอบอุปกรณ์ล่วงหน้า",
        "headline_target": "แจ้งผลการพิจารณาภายใน 24 ชั่วโมง",
        "description": "<p>บริการประชุมออนไลน์และถ่ายทอดสดผ่าน YouTube และ Facebook ของสำนักงาน "
        "เจ้าหน้าที่บันทึกการจองในปฏิทินกลาง เตรียมและทดสอบอุปกรณ์ล่วงหน้า 1 วันทำการ "
        "และแจ้งทีมเครือข่ายให้เฝ้าระวังระบบในวันและเวลาที่ถ่ายทอด</p>",
        "laws": "\n".join([COPYRIGHT, PDPA]),
        "officers": ("somchai", "pimchanok"),
        "steps": [
            step("รับหนังสือราชการ (ภายใน / ภายนอก)", "intake", "secretary", 5, "minutes"),
            step("ลงทะเบียนรับ ตรวจสอบเอกสาร และส่งแฟ้มเสนอ", "intake", "secretary", 5, "minutes"),
            step("ผู้บริหารพิจารณา", "work", "executive", 24, "hours", "elapsed"),
            step(
                "อนุมัติ / ไม่อนุมัติ",
                "approval",
                "executive",
                24,
                "hours",
                "elapsed",
                description="ไม่อนุมัติ: ส่งเรื่องคืนหน่วยงานผู้ขอพร้อมเหตุผล",
            ),
            step(
                "บันทึกการจองในปฏิทินกลาง เตรียมอุปกรณ์ และแจ้งทีมเครือข่าย",
                "schedule",
                "officer",
                24,
                "hours",
                "elapsed",
                description="ทดสอบอุปกรณ์ล่วงหน้า 1 วันทำการ และแจ้งวันเวลาให้ทีมเครือข่ายเฝ้าระวังระบบ",
            ),
            step(
                "โทรแจ้งเตือนก่อนเริ่ม 30 นาที และให้บริการตามกำหนด",
                "work",
                "officer",
                label="ตามวันเวลาที่ขอ",
            ),
            step("สรุป ประเมินผล และรายงานผู้บริหาร", "report", "officer", label="รายเดือน"),
        ],
    },
    {
        "slug": "video-conference",
        "code": "ICT 05",
        "category": MEETINGS,
        "title": "การประชุมผ่านระบบการประชุมทางไกล (Video Conference / Zoom)",
        "form_kind": "booking",
        "summary": "ติดตั้ง ทดสอบ และควบคุมภาพ เสียง และการถ่ายทอดระหว่างการประชุมทางไกล",
        "headline_target": "ติดตั้งและทดสอบระบบภายใน 30 นาที",
        "description": "<p>ผู้ขอประสานวัน เวลา และจำนวนผู้เข้าร่วมกับกลุ่ม DLICT "
        "เจ้าหน้าที่ติดตั้งและทดสอบระบบ ควบคุมภาพ เสียง และการถ่ายทอด (ถ้าขอ) "
        "ตลอดการประชุม แล้วตรวจสอบสัญญาณและอุปกรณ์หลังเลิกประชุม</p>",
        "laws": "\n".join([PDPA, CYBER]),
        "officers": ("somchai", "kittipong"),
        "steps": [
            step("ประสานวัน เวลา และจำนวนผู้เข้าร่วมกับกลุ่ม DLICT", "intake", "requester", 3, "minutes"),
            step("ติดตั้งและทดสอบระบบการประชุมทางไกล", "schedule", "officer", 30, "minutes"),
            step(
                "ดำเนินการประชุม ควบคุมภาพ เสียง และการถ่ายทอด (ถ้าขอ)",
                "work",
                "officer",
                3,
                "hours",
                "elapsed",
                alternatives=[("ประชุมเต็มวัน", 6, "hours", "elapsed")],
            ),
            step("ตรวจสอบสัญญาณและอุปกรณ์หลังการประชุม", "report", "officer", 30, "minutes", "elapsed"),
        ],
    },
    {
        "slug": "computer-internet-repair",
        "code": "ICT 02",
        "category": REPAIRS,
        "title": "ซ่อมระบบคอมพิวเตอร์และเครือข่ายอินเทอร์เน็ต",
        "form_kind": "repair",
        "summary": "แจ้งปัญหาคอมพิวเตอร์ เครื่องพิมพ์ และอินเทอร์เน็ตผ่าน QR Code พร้อมแนบรูปอาการ",
        "headline_target": "คอมพิวเตอร์ 1 วันทำการ · อินเทอร์เน็ต 1 ชั่วโมง",
        "description": "<p>เมื่อเจ้าหน้าที่ทราบปัญหา คอมพิวเตอร์จะได้รับการแก้ไขภายใน 1 วันทำการ "
        "หากซ่อมเองไม่ได้หรือไม่มีอะไหล่ จะประเมินและส่งซ่อมร้านภายนอก "
        "ให้ใช้งานได้ภายใน 2 วันทำการ</p>"
        "<p>อินเทอร์เน็ตใช้งานไม่ได้ แก้ไขภายใน 1 ชั่วโมง หากเป็นปัญหาจากผู้ให้บริการ "
        "จะแจ้งผู้ให้บริการและใช้งานได้ภายใน 6 ชั่วโมง</p>",
        "laws": CYBER,
        "officers": ("kittipong", "somchai"),
        "steps": [
            step(
                "ตรวจสอบและแก้ไขปัญหาคอมพิวเตอร์ / อินเทอร์เน็ต",
                "work",
                "officer",
                1,
                "days",
                description="คอมพิวเตอร์: แก้ไขภายใน 1 วันทำการ",
                alternatives=[
                    ("ส่งซ่อมร้านภายนอก", 2, "days", "working"),
                    ("อินเทอร์เน็ตใช้งานไม่ได้", 1, "hours", "working", "internet,network"),
                    ("ปัญหาจากผู้ให้บริการ", 6, "hours", "working"),
                ],
            ),
            step("แจ้งผลการแก้ไขให้ผู้แจ้งทราบ", "report", "officer", label="เมื่อแก้ไขเสร็จ"),
        ],
    },
    {
        "slug": "hardware-software-repair",
        "code": "ICT 06",
        "category": REPAIRS,
        "title": "แจ้งซ่อมแซมอุปกรณ์ฮาร์ดแวร์ ปรับปรุงซอฟต์แวร์",
        "form_kind": "repair",
        "summary": "ซ่อมอุปกรณ์คอมพิวเตอร์และปรับปรุงซอฟต์แวร์ของสำนักงาน เมื่อได้รับอนุมัติจากผู้อำนวยการ",
        "headline_target": "ซ่อมเสร็จภายใน 1 วันทำการหลังอนุมัติ",
        "description": "<p>กรอกแบบฟอร์มแจ้งซ่อม เรื่องจะส่งถึงธุรการกลุ่มเพื่อเสนอผู้อำนวยการกลุ่ม "
        "หรือผู้อำนวยการสำนักงานอนุมัติและสั่งการ จากนั้นเจ้าหน้าที่ดำเนินการซ่อม "
        "และรายงานผลพร้อมแจ้งผู้ขอ</p>",
        "laws": "\n".join([CYBER, COMPUTER_CRIME]),
        "officers": ("kittipong", "pimchanok"),
        "steps": [
            step("ผู้ขอกรอกแบบฟอร์มแจ้งซ่อม", "intake", "requester", 30, "minutes"),
            step("ส่งเรื่องให้ธุรการกลุ่ม", "intake", "secretary", 30, "minutes"),
            step(
                "เสนอผู้อำนวยการกลุ่ม / ผู้อำนวยการสำนักงาน อนุมัติและสั่งการ",
                "approval",
                "director",
                1,
                "hours",
            ),
            step("ซ่อมแซมฮาร์ดแวร์ / ปรับปรุงซอฟต์แวร์", "work", "officer", 1, "days"),
            step("รายงานผู้อำนวยการและแจ้งผลให้ผู้ขอทราบ", "report", "officer", 3, "days"),
        ],
    },
    {
        "slug": "education-information",
        "code": "ICT 03",
        "category": INFORMATION,
        "title": "ให้บริการข้อมูลสารสนเทศทางการศึกษา",
        "form_kind": "information",
        "summary": "ขอข้อมูลสถิติและสารสนเทศทางการศึกษา รับทางช่องทางที่เลือก",
        "headline_target": "ข้อมูลพร้อมใช้ 15 นาที · คำขอซับซ้อน 1 วันทำการ",
        "description": "<p>ตอบกลับหรือส่งข้อมูลทางช่องทางที่ผู้ขอเลือก "
        "ข้อมูลที่มีอยู่แล้วและไม่ซับซ้อนภายใน 15 นาที "
        "คำขอซับซ้อนที่ต้องประมวลผลจากฐานข้อมูลภายใน 1 วันทำการ</p>",
        "laws": "\n".join(
            [
                "ระเบียบกระทรวงศึกษาธิการ ว่าด้วยการบริหารจัดการข้อมูลสารสนเทศทางการศึกษา พ.ศ. 2554",
                "ระเบียบสำนักนายกรัฐมนตรี ว่าด้วยการให้บริการข้อมูลข่าวสารของราชการ พ.ศ. 2529 "
                "(ฉบับที่ 2 พ.ศ. 2533)",
                CYBER,
            ]
        ),
        "officers": ("wanida", "anucha"),
        "steps": [
            step(
                "ตอบกลับหรือส่งข้อมูลตามช่องทางที่ผู้ขอเลือก",
                "work",
                "officer",
                15,
                "minutes",
                description="ข้อมูลที่มีอยู่แล้วและไม่ซับซ้อน",
                alternatives=[("คำขอซับซ้อน", 1, "days", "working", "complex")],
            ),
        ],
    },
    {
        "slug": "website-publication",
        "code": "ICT 07",
        "category": WEBSITE,
        "title": "เผยแพร่ข้อมูลทางเว็บไซต์",
        "form_kind": "general",
        "summary": "ขอเผยแพร่ข่าว ประกาศ และเอกสารบนเว็บไซต์ของสำนักงาน",
        "headline_target": "เผยแพร่ภายใน 1 วันทำการหลังตรวจสอบ",
        "description": "<p>ผู้ขอเตรียมเนื้อหาเป็นไฟล์อิเล็กทรอนิกส์ กรอกแบบฟอร์มพร้อมแนบเอกสาร "
        "เสนอผู้บังคับบัญชาพิจารณาและลงนาม เจ้าหน้าที่จัดทำและเผยแพร่ชั่วคราว "
        "ให้ตรวจสอบความถูกต้อง แล้วจึงเผยแพร่บนเว็บไซต์ของสำนักงาน</p>",
        "laws": "\n".join(
            [
                "แผนแม่บทเทคโนโลยีสารสนเทศและการสื่อสาร กระทรวงศึกษาธิการ",
                "แผนแม่บทเทคโนโลยีสารสนเทศและการสื่อสารของประเทศไทย (ฉบับที่ 2)",
                COMPUTER_CRIME,
                OFFICIAL_INFO,
            ]
        ),
        "officers": ("pakorn", "pimchanok"),
        "steps": [
            step(
                "ผู้ขอจัดเตรียมข้อมูลเป็นไฟล์อิเล็กทรอนิกส์",
                "intake",
                "requester",
                1,
                "days",
                on_no_answer="cancel",
            ),
            step("กรอกแบบฟอร์มและแนบเอกสารที่ต้องการเผยแพร่", "intake", "requester", 1, "hours"),
            step(
                "เสนอรองผู้อำนวยการ / ผู้อำนวยการ (ผู้บังคับบัญชา) พิจารณา", "approval", "approver", 1, "days"
            ),
            step("ผู้มีอำนาจลงนามอนุมัติ", "approval", "director", 1, "days"),
            step("เจ้าหน้าที่จัดทำและเผยแพร่ชั่วคราว (ตัวอย่าง)", "work", "officer", 1, "days"),
            step("ตรวจสอบความถูกต้องของเนื้อหา", "work", "officer", 1, "days"),
            step("เผยแพร่บนเว็บไซต์ของสำนักงาน", "work", "officer", 1, "days"),
        ],
    },
    {
        "slug": "complaints",
        "code": COMPLAINT_CODE,
        "category": COMPLAINTS,
        "title": "รับเรื่องร้องเรียนและข้อเสนอแนะการให้บริการ",
        "form_kind": "general",
        "summary": "ร้องเรียนการให้บริการ การปฏิบัติงานของเจ้าหน้าที่ หรือแจ้งเบาะแสการทุจริต "
        "ติดตามผลได้ด้วยเลขที่คำขอ",
        "headline_target": "ตอบรับภายใน 1 วันทำการ · แจ้งผลภายใน 15 วันทำการ",
        "description": "<p>เรื่องร้องเรียนส่งถึงหัวหน้ากลุ่มโดยตรง ผู้ร้องเรียนได้รับเลขที่คำขอ "
        "และแจ้งผลการพิจารณาทางอีเมล ข้อมูลของผู้ร้องเรียนเปิดเผยเฉพาะผู้ที่พิจารณาเรื่องเท่านั้น "
        "สถิติเรื่องร้องเรียนเผยแพร่เป็นตัวเลขรวมทุกเดือน</p>",
        "laws": "\n".join(
            [
                "พระราชกฤษฎีกาว่าด้วยหลักเกณฑ์และวิธีการบริหารกิจการบ้านเมืองที่ดี พ.ศ. 2546",
                "ระเบียบสำนักนายกรัฐมนตรี ว่าด้วยการจัดการเรื่องราวร้องทุกข์ พ.ศ. 2552",
                PDPA,
            ]
        ),
        "officers": ("anucha", "pimchanok"),
        "steps": [
            step("ลงทะเบียนรับเรื่องและตอบรับผู้ร้องเรียน", "intake", "officer", 1, "days"),
            step("หัวหน้ากลุ่มพิจารณาและสั่งการ", "approval", "approver", 3, "days"),
            step("ตรวจสอบข้อเท็จจริงและแก้ไข", "work", "officer", 10, "days"),
            step("แจ้งผลการพิจารณาให้ผู้ร้องเรียนทราบ", "report", "officer", 1, "days"),
        ],
    },
]

# Section 8 of the operating manual: the equipment loan request and the user
# account request for network access (identity checked before the account is made).
SERVICES += [
    {
        "slug": "equipment-loan",
        "code": "ICT 08",
        "category": EQUIPMENT,
        "title": "ขอยืมครุภัณฑ์และอุปกรณ์ ICT",
        "form_kind": "general",
        "summary": "ยืมโปรเจกเตอร์ โน้ตบุ๊ก กล้อง และชุดถ่ายทอดสดไปใช้งาน พร้อมกำหนดวันคืน",
        "headline_target": "ส่งมอบอุปกรณ์ภายใน 1 วันทำการหลังอนุมัติ",
        "description": "<p>บริการให้ยืมครุภัณฑ์และอุปกรณ์ ICT ของสำนักงาน "
        "เจ้าหน้าที่บันทึกรายการที่ยืม เลขครุภัณฑ์ และกำหนดคืน ตรวจสภาพเมื่อส่งมอบและเมื่อรับคืน "
        "ระบบจะส่งอีเมลเตือนผู้ยืม 1 วันก่อนครบกำหนดคืน</p>",
        "laws": "ระเบียบกระทรวงการคลังว่าด้วยการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. 2560",
        "officers": ("kittipong", "pimchanok"),
        "fields": [
            ("รายการที่ต้องการยืม", "multiline", True, ""),
            ("วันที่ต้องการรับ", "date", True, ""),
            ("วันที่จะส่งคืน", "date", True, ""),
            ("วัตถุประสงค์และสถานที่ใช้งาน", "multiline", True, ""),
        ],
        "steps": [
            step("รับคำขอยืมและตรวจสอบอุปกรณ์ที่ว่าง", "intake", "officer", 1, "hours"),
            step("หัวหน้ากลุ่มอนุมัติการยืม", "approval", "approver", 1, "days"),
            step(
                "ตรวจสภาพ ส่งมอบ และบันทึกรายการยืมพร้อมกำหนดคืน",
                "work",
                "officer",
                1,
                "days",
                description="บันทึกรายการ เลขครุภัณฑ์ และกำหนดคืนในระบบ ผู้ยืมลงนามรับ",
            ),
            step(
                "รับคืนและตรวจสภาพอุปกรณ์",
                "work",
                "officer",
                label="ตามกำหนดคืน",
                description="บันทึกสภาพเมื่อรับคืน (สภาพดี ชำรุด สูญหาย)",
            ),
            step("สรุปและรายงานผู้บริหาร", "report", "officer", label="รายเดือน"),
        ],
    },
    {
        "slug": "network-account",
        "code": "ICT 09",
        "category": EQUIPMENT,
        "title": "ขอบัญชีผู้ใช้งานระบบเครือข่าย",
        "form_kind": "general",
        "summary": "ขอบัญชีผู้ใช้อินเทอร์เน็ตและ Wi-Fi ของสำนักงาน โดยยืนยันตัวตนด้วยบัตรประจำตัว",
        "headline_target": "ได้รับบัญชีภายใน 2 วันทำการ",
        "description": "<p>บริการสร้างบัญชีผู้ใช้ระบบเครือข่ายสำหรับบุคลากร "
        "ผู้ขอต้องยืนยันตัวตนด้วยบัตรประจำตัวเจ้าหน้าที่ของรัฐหรือบัตรประจำตัวประชาชน "
        "ระบบเก็บข้อมูลจราจรทางคอมพิวเตอร์ไม่น้อยกว่า 90 วันตามกฎหมาย</p>",
        "laws": "\n".join([COMPUTER_CRIME, PDPA, CYBER]),
        "officers": ("somchai", "kittipong"),
        "fields": [
            ("ตำแหน่ง", "singleline", True, ""),
            ("ประเภทบัญชี", "dropdown", True, "อินเทอร์เน็ตและ Wi-Fi\nอีเมลของสำนักงาน\nVPN"),
        ],
        "steps": [
            step("รับคำขอบัญชีผู้ใช้", "intake", "officer", 1, "hours"),
            step(
                "ตรวจสอบตัวตนของผู้ขอ",
                "work",
                "officer",
                1,
                "days",
                description="เทียบบัตรประจำตัวกับทะเบียนบุคลากร (ผู้ขอแสดงบัตรหรือแนบสำเนา)",
            ),
            step("หัวหน้ากลุ่มอนุมัติ", "approval", "approver", 1, "days"),
            step("สร้างบัญชีและแจ้งผู้ขอ", "work", "officer", 1, "days"),
            step("สรุปและรายงานผู้บริหาร", "report", "officer", label="รายเดือน"),
        ],
    },
]


def _ensure_catalogue(home):
    catalogue = ServiceIndexPage.objects.child_of(home).filter(slug="services").first()
    if catalogue is None:
        catalogue = ServiceIndexPage(
            title="บริการ",
            slug="services",
            show_in_menus=True,
            intro="มาตรฐานการให้บริการของกลุ่มฯ ทุกบริการไม่มีค่าธรรมเนียม "
            "อ่านขั้นตอนและระยะเวลา แล้วยื่นคำขอออนไลน์ได้จากหน้าบริการ",
        )
        home.add_child(instance=catalogue)
        catalogue.save_revision().publish()
    return catalogue


def _ensure_service(catalogue, spec):
    if ServicePage.objects.child_of(catalogue).filter(slug=spec["slug"]).exists():
        return False
    page = ServicePage(
        title=spec["title"],
        slug=spec["slug"],
        code=spec["code"],
        category=spec["category"],
        summary=spec["summary"],
        headline_target=spec["headline_target"],
        description=spec["description"],
        who_may_ask=WHO,
        channels=CHANNELS,
        laws=spec["laws"],
        officers=officers(*spec["officers"]),
        steps=spec["steps"],
        form_kind=spec["form_kind"],
        kpi_target_percent=70,
        form_fields=[
            ServiceFormField(label=label, field_type=field_type, required=required, choices=choices)
            for label, field_type, required, choices in spec.get("fields", ())
        ],
    )
    catalogue.add_child(instance=page)
    page.save_revision().publish()
    return True


@transaction.atomic
def build(log=print):
    home = HomePage.objects.first()
    if home is None:
        from services.demo.site import build as build_home

        home = build_home(log)
    catalogue = _ensure_catalogue(home)
    for spec in SERVICES:
        if _ensure_service(catalogue, spec):
            log(f"created service {spec['code']} {spec['title']}")
    home = HomePage.objects.get(pk=home.pk)
    if home.catalogue_page_id != catalogue.pk:
        home.catalogue_page = catalogue
        home.save_revision().publish()
        log("home page links to the service catalogue")
    return catalogue
