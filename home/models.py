"""Content pages of the public site, the office settings and the menu."""

from django.db import models
from django.http import Http404
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from home.admin_widgets import LanguageDateInput
from home.blocks import BodyBlock
from home.search import segment

MAX_ROUTE_DEPTH = 12


def stream_text(stream):
    """Plain text of a StreamField, for the search index."""
    parts = []
    for block in stream or []:
        value = block.value
        if hasattr(value, "source"):  # RichText
            parts.append(strip_tags(value.source))
        elif isinstance(value, str):
            parts.append(value)
        elif hasattr(value, "get"):
            for key in ("caption", "title", "alt_text"):
                if value.get(key):
                    parts.append(str(value.get(key)))
            document = value.get("document")
            if document is not None and getattr(document, "title", ""):
                parts.append(document.title)
    return " ".join(parts)


class ThaiSearchable(Page):
    """Gives a page a word-segmented copy of its text for the search index."""

    search_fields = Page.search_fields + [
        index.SearchField("search_text"),
        index.AutocompleteField("autocomplete_text"),
    ]
    #: Listed before other pages in the site search (the service standards).
    search_first = False

    class Meta:
        abstract = True

    def route(self, request, path_components):
        """Finds the deepest page of a long path in one query instead of two per level.

        Wagtail walks the path a level at a time (a child lookup and a
        ``specific`` each); ``url_path`` lets one query fetch every page on the
        path at once. What is left of the path goes to that page's own
        ``route`` (sub-routes of a routable page, or a 404).
        """
        if not 2 <= len(path_components) <= MAX_ROUTE_DEPTH:
            return super().route(request, path_components)
        candidates = {
            self.url_path + "/".join(path_components[:i]) + "/": i
            for i in range(1, len(path_components) + 1)
        }
        found = list(
            Page.objects.filter(
                url_path__in=candidates, path__startswith=self.path, depth__gt=self.depth
            ).order_by("depth")
        )
        # Only an unbroken chain of pages below this one counts.
        chain = []
        for page in found:
            if (
                page.depth == self.depth + len(chain) + 1
                and candidates[page.url_path] == len(chain) + 1
            ):
                chain.append(page)
        if not chain:
            raise Http404
        deepest = chain[-1].specific
        deepest._cached_parent_obj = chain[-2] if len(chain) > 1 else self
        return deepest.route(request, path_components[len(chain) :])

    def search_result_action(self):
        """(label, #fragment of the page) of a button shown with this page in search results."""
        return None

    def search_snippet_text(self):
        """Plain text the search result's highlighted snippet is cut from."""
        return self.search_body()

    def autocomplete_text(self):
        """Segmented words the search box suggests this page for as one types."""
        return segment(self.title)

    def search_body(self):
        """Plain text beyond the title; pages extend this."""
        return self.search_description or ""

    def search_text(self):
        return segment(f"{self.title} {self.search_body()}")


class HomePage(ThaiSearchable):
    hero_title = models.CharField(_("ข้อความหลัก"), max_length=255, blank=True)
    hero_text = models.TextField(_("ข้อความแนะนำ"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ภาพหลัก"),
    )
    hero_image_alt = models.CharField(_("คำอธิบายภาพหลัก"), max_length=255, blank=True)
    catalogue_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("หน้าบริการ"),
        help_text=_("หน้าแคตตาล็อกบริการที่ปุ่มบนหน้าแรกลิงก์ไป"),
    )
    news_index = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("หน้าข่าว"),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("เนื้อหา"))

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_image_alt"),
            ],
            heading=_("ส่วนหัว"),
        ),
        FieldPanel("catalogue_page"),
        FieldPanel("news_index"),
        FieldPanel("body"),
    ]
    max_count = 1

    class Meta:
        verbose_name = _("หน้าแรก")

    def search_body(self):
        return f"{self.hero_title} {self.hero_text} {stream_text(self.body)}"

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        if self.hero_image_id and not self.hero_image_alt.strip():
            raise ValidationError({"hero_image_alt": _("กรุณาใส่คำอธิบายภาพ")})

    def latest_news(self, count=4):
        return NewsPage.objects.live().public().order_by("-date", "-pk")[:count]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = self.latest_news()
        return context


class StandardPage(ThaiSearchable):
    intro = models.TextField(_("บทนำ"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("เนื้อหา"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("หน้าเนื้อหา")

    def search_body(self):
        return f"{self.intro} {stream_text(self.body)}"


class NewsIndexPage(ThaiSearchable):
    """A news or announcement section; its children are NewsPages."""

    intro = RichTextField(_("บทนำ"), blank=True, features=["bold", "italic", "link"])
    subpage_types = ["home.NewsPage"]
    content_panels = Page.content_panels + [FieldPanel("intro")]
    per_page = 10

    class Meta:
        verbose_name = _("หน้ารวมข่าว")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        items = NewsPage.objects.child_of(self).live().public().order_by("-date", "-pk")
        context["news_items"] = Paginator(items, self.per_page).get_page(request.GET.get("page"))
        return context


class NewsPage(ThaiSearchable):
    date = models.DateField(_("วันที่"))
    summary = models.TextField(_("สรุป"), max_length=500, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ภาพประกอบ"),
    )
    image_alt = models.CharField(_("คำอธิบายภาพประกอบ"), max_length=255, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("เนื้อหา"))

    parent_page_types = ["home.NewsIndexPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldPanel("date", widget=LanguageDateInput),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("ภาพประกอบ")),
        FieldPanel("body"),
    ]
    search_fields = ThaiSearchable.search_fields + [index.FilterField("date")]

    class Meta:
        verbose_name = _("ข่าว")
        verbose_name_plural = _("ข่าว")

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        if self.image_id and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("กรุณาใส่คำอธิบายภาพ")})

    def search_body(self):
        return f"{self.summary} {stream_text(self.body)}"

    def documents(self):
        return [block.value for block in self.body if block.block_type == "document"]


@register_setting(icon="home")
class OfficeSettings(BaseSiteSetting):
    name = models.CharField(_("ชื่อหน่วยงาน"), max_length=255, blank=True)
    name_en = models.CharField(_("ชื่อหน่วยงาน (อังกฤษ)"), max_length=255, blank=True)
    parent_name = models.CharField(_("สังกัด"), max_length=255, blank=True)
    address = models.TextField(_("ที่อยู่"), blank=True)
    phone = models.CharField(_("โทรศัพท์"), max_length=64, blank=True)
    email = models.EmailField(_("อีเมล"), blank=True)
    line_id = models.CharField(_("LINE Official Account"), max_length=64, blank=True)
    line_url = models.URLField(_("ลิงก์ LINE"), blank=True)
    facebook_url = models.URLField(_("ลิงก์ Facebook"), blank=True)
    office_hours = models.CharField(_("เวลาทำการ"), max_length=128, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ตราสัญลักษณ์"),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("parent_name"),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("line_id"),
        FieldPanel("line_url"),
        FieldPanel("facebook_url"),
        FieldPanel("office_hours"),
        FieldPanel("logo"),
    ]

    class Meta:
        verbose_name = _("ข้อมูลหน่วยงาน")


# The search models live beside the search code; importing them here registers them.
from home.search.models import SearchQueryLog, SearchWord, Synonym  # noqa: E402,F401
