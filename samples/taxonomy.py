"""The sample site's vocabulary: categories, tags, authors, menus and interface strings.

Shaped like the seed page (an advocacy site whose sidebar lists 30-odd categories, many of
them yearly events), with fictional names. Tags carry the words that earn them, so an
article is tagged by what its (Debian handbook) text actually talks about.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Term:
    name: str
    slug: str


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _terms(names: tuple[str, ...]) -> tuple[Term, ...]:
    return tuple(Term(n, slugify(n)) for n in names)


SITE_NAME = {"en": "Open Assembly", "fa": "مجمع آزاد"}
TAGLINE = {"en": "Uniting for Freedom, Democracy & Equality",
           "fa": "با هم برای آزادی، دموکراسی و برابری"}

# Most-used first: articles draw categories with Zipf-like weights by rank.
CATEGORIES_EN: tuple[Term, ...] = _terms((
    "Human Rights", "Community News", "Press Releases", "Digital Rights", "System Administration",
    "International Supports", "Activities Abroad", "Local Chapters Inside the Country", "Reports",
    "Network Services", "Security Advisories", "Annual Grand Gathering", "Free Software World Summit",
    "Media Gallery", "Interviews", "Opinion", "Education & Workshops", "Packaging & Distribution",
    "Socio - Economic Crisis", "Community Protests", "Assemblies", "Translations", "Volunteers",
    "Newsletters", "Grand Gathering 2016", "Grand Gathering 2017", "Grand Gathering 2018",
    "Grand Gathering 2018- Videos", "Grand Gathering 2019", "Grand Gathering 2020",
    "Free Software World Summit 2021", "Free Software 2022", "Free Software World Summit 2023",
    "Free Software 2024", "Archives 2014",
))
# Persian categories keep ASCII slugs, as many bilingual WordPress sites configure them.
CATEGORIES_FA: tuple[Term, ...] = (
    Term("حقوق بشر", "fa-human-rights"), Term("اخبار", "fa-news"), Term("گزارش‌ها", "fa-reports"),
    Term("آموزش", "fa-education"), Term("نرم‌افزار آزاد", "fa-free-software"),
    Term("گالری رسانه", "fa-media-gallery"), Term("گردهمایی سالانه", "fa-annual-gathering"),
)

# Tag -> the words (regular expression, case-insensitive) that earn it.
TAG_RULES_EN: Mapping[str, str] = {
    "APT": r"\bapt(?:-get|itude)?\b", "Security": r"\bsecur", "Firewall": r"\bfirewall|netfilter|iptables",
    "Networking": r"\bnetwork", "Kernel": r"\bkernel", "Backup": r"\bbackup", "Email": r"\bmail\b|postfix",
    "Web Server": r"\bapache|nginx|web server", "DNS": r"\bdns\b|bind\b", "Virtualization": r"\bvirtual",
    "Packaging": r"\bpackag", "Community": r"\bcommunity|volunteer", "Licences": r"\blicen[cs]e|copyright",
    "Free Software": r"\bfree software", "Installation": r"\binstall", "Upgrades": r"\bupgrad",
    "Users": r"\buser accounts?|\bpasswords?\b", "Printing": r"\bprint", "Monitoring": r"\bmonitor|\blogs?\b",
    "Storage": r"\bdisk|\braid\b|\blvm\b", "Desktop": r"\bdesktop|graphical", "Translation": r"\btranslat",
    "Debian Developers": r"\bdeveloper", "Releases": r"\brelease", "Education": r"\blearn|\bteach",
    "Privacy": r"\bprivacy|\bencrypt", "Cloud": r"\bcloud|openstack", "Containers": r"\bcontainer|lxc|docker",
    "Scheduling": r"\bcron\b|\banacron|\bat command", "Hardware": r"\bhardware|\bdevice",
}
TAGS_EN_GENERIC: tuple[str, ...] = ("Highlights", "Statement", "Video", "Conference", "Report",
                                    "Speech", "Solidarity", "Anniversary")
TAG_RULES_FA: Mapping[str, str] = {
    "بسته": r"بسته", "امنیت": r"امنیت", "شبکه": r"شبکه", "نصب": r"نصب", "کاربران": r"کاربر",
    "دبیان": r"دبیان", "سرور": r"سرور|سرویس", "پیکربندی": r"پیکربندی",
}
TAGS_FA_GENERIC: tuple[str, ...] = ("گزارش", "بیانیه", "همبستگی")
# Persian tags get ASCII slugs too, numbered in this order.
TAG_SLUGS_FA: Mapping[str, str] = {name: f"fa-tag-{i}" for i, name in
                                   enumerate((*TAG_RULES_FA, *TAGS_FA_GENERIC), start=1)}

AUTHORS_EN: tuple[Term, ...] = _terms((
    "Sara Ahmadi", "John Whitfield", "Leila Karimi", "Marc Dubois", "Anna Kowalska", "David Osei",
    "Nadia Rostami", "Peter Lindqvist", "Elena Rossi", "Omar Haddad", "Grace Kim", "Tom Brennan",
))
AUTHORS_FA: tuple[Term, ...] = (
    Term("مریم صادقی", "maryam-sadeghi"), Term("علی رضایی", "ali-rezaei"),
    Term("نگار محمدی", "negar-mohammadi"), Term("حسین کاظمی", "hossein-kazemi"),
)
COMMENTERS: tuple[str, ...] = ("Reza", "Lisa M.", "K. Tanaka", "Farid", "Jo", "Hannah", "Mehdi",
                               "Carlos", "Shirin", "Ben")
TITLE_PREFIXES = {
    "en": ("", "Field notes: ", "Workshop recap: ", "Explainer: ", "Q&A: ", "Revisited: ", "Report: "),
    "fa": ("", "گزارش: ", "یادداشت: ", "پرسش و پاسخ: ", "مرور دوباره: "),
}

MENU = {"en": (("Home", "/"), ("About Us", "/about/"), ("Human Rights", "/category/human-rights/"),
               ("Press Releases", "/category/press-releases/"), ("Media Gallery", "/category/media-gallery/"),
               ("فارسی", "/fa/"), ("Contact", "/contact/")),
        "fa": (("خانه", "/fa/"), ("حقوق بشر", "/fa/category/fa-human-rights/"),
               ("اخبار", "/fa/category/fa-news/"), ("English", "/"), ("تماس", "/contact/"))}

# Static pages: (slug, title). The last one is the `noindex` page.
PAGES: tuple[tuple[str, str], ...] = (
    ("about", "About Us"), ("contact", "Contact"), ("donate", "Support Our Work"),
    ("join-us", "Join Us"), ("members/internal-notes", "Internal Notes for Members"),
)

UI: Mapping[str, Mapping[str, str]] = {
    "en": {"search": "Search", "placeholder": "Search here...", "generic": "Generic selectors",
           "exact": "Exact matches only", "in_title": "Search in title", "in_content": "Search in content",
           "post_types": "Post Type Selectors", "posts": "Posts", "pages": "Pages",
           "by_categories": "Filter by Categories", "recent": "Recent Posts", "categories": "Categories",
           "archives": "Archives", "share": "Share this:", "comments": "Comments", "reply": "Leave a Reply",
           "says": "says:", "post_comment": "Post Comment", "by": "By", "in": "Posted in",
           "tagged": "Tagged", "older": "Older posts", "newer": "Newer posts", "more": "Continue reading",
           "previous": "Previous", "next": "Next", "page": "Page", "updated": "Updated",
           "republished": "This article was first published on {date}; it is republished here "
                          "for our readers with minor edits.",
           "rights": "All rights reserved for the site design."},
    "fa": {"search": "جستجو", "placeholder": "جستجو کنید...", "generic": "گزینه‌های عمومی",
           "exact": "فقط تطابق دقیق", "in_title": "جستجو در عنوان", "in_content": "جستجو در متن",
           "post_types": "نوع نوشته", "posts": "نوشته‌ها", "pages": "برگه‌ها",
           "by_categories": "فیلتر بر اساس دسته‌ها", "recent": "نوشته‌های تازه", "categories": "دسته‌ها",
           "archives": "بایگانی", "share": "اشتراک‌گذاری:", "comments": "دیدگاه‌ها",
           "reply": "دیدگاهتان را بنویسید", "says": "می‌گوید:", "post_comment": "فرستادن دیدگاه",
           "by": "نویسنده", "in": "دسته", "tagged": "برچسب‌ها", "older": "نوشته‌های قدیمی‌تر",
           "newer": "نوشته‌های تازه‌تر", "more": "ادامه مطلب", "previous": "قبلی", "next": "بعدی",
           "page": "برگه", "updated": "به‌روزرسانی",
           "republished": "این نوشته نخستین بار در {date} منتشر شد و با اندکی ویرایش بازنشر می‌شود.",
           "rights": "همه حقوق طراحی سایت محفوظ است."},
}

PERSIAN_MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر",
                  "دی", "بهمن", "اسفند")
