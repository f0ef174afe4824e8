"""StreamField blocks shared by the content pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class AccessibleImageBlock(blocks.StructBlock):
    """An image that cannot be published without a text alternative."""

    image = ImageChooserBlock(label=_("รูปภาพ"))
    alt_text = blocks.CharBlock(
        label=_("คำอธิบายภาพ (alt text)"),
        max_length=255,
        help_text=_("บรรยายภาพสำหรับผู้ใช้โปรแกรมอ่านหน้าจอ"),
    )
    caption = blocks.CharBlock(label=_("คำบรรยายใต้ภาพ"), required=False)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        label = _("รูปภาพ")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("เอกสาร"))
    title = blocks.CharBlock(label=_("ชื่อที่แสดง"), required=False)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"
        label = _("เอกสารแนบ")


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title", icon="title", label=_("หัวข้อ"), template="blocks/heading_block.html"
    )
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3", "h4", "document-link"],
        label=_("ย่อหน้า"),
    )
    image = AccessibleImageBlock()
    document = DocumentBlock()
    embed = EmbedBlock(label=_("สื่อฝัง (YouTube ฯลฯ)"), required=False)

    class Meta:
        label = _("เนื้อหา")
