"""What a sample WordPress holds, decided from a seed: two sites (English, and Persian in
``fa_IR``, right to left), their users, nested categories, tags, posts and pages in every state
WordPress knows, formats, a featured image and reader comments.

Pure, like :mod:`samples.plan` (whose articles it reuses): ``populate.php`` writes the plan
into WordPress through its own API, and tests compare what pagesift indexed with the plan.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta

from samples import plan as site_plan
from samples import taxonomy as tx
from samples.prose import Section

# Child category -> parent, by name: WordPress shows the hierarchy in archive URLs
# (/category/annual-grand-gathering/grand-gathering-2018/) and the REST API's ``parent``.
PARENTS: Mapping[str, str] = {
    **{f"Grand Gathering {year}": "Annual Grand Gathering" for year in range(2016, 2021)},
    "Grand Gathering 2018- Videos": "Grand Gathering 2018",
    **{name: "Free Software World Summit" for name in (
        "Free Software World Summit 2021", "Free Software 2022", "Free Software World Summit 2023",
        "Free Software 2024")},
    "Security Advisories": "System Administration",
    "Network Services": "System Administration",
    "Packaging & Distribution": "System Administration",
    "Community Protests": "Community News",
    "گالری رسانه": "اخبار",
    "گزارش‌ها": "اخبار",
}
SITE_TITLES = {"en": "Open Assembly", "fa": "مجمع آزاد"}
LOCALES = {"en": "en_US", "fa": "fa_IR"}
# Post formats besides 'video' (which samples.plan draws): one post each, the first ones.
FORMATS = ("gallery", "aside", "quote", "link", "audio", "image", "status", "chat")
STICKY = 2
FEATURED_IMAGES = 3
# States a post is never searchable in; each is one of the plan's posts moved there.
HIDDEN_STATES = ("draft", "draft", "pending", "private", "password", "trash", "future", "future")
SCHEDULED_AHEAD = timedelta(days=30)


@dataclass(frozen=True)
class Comment:
    author: str
    text: str
    date: str  # ISO 8601, UTC
    approved: bool = True
    reply_to: int | None = None  # index of the comment it answers, within the post


@dataclass(frozen=True)
class Post:
    """One post or page. ``key`` names it for tests ("post-100", "page-about")."""

    key: str
    post_type: str  # 'post' | 'page'
    title: str
    paragraphs: tuple[str, ...]
    date: str  # ISO 8601, UTC
    modified: str | None
    author: str  # the user's login
    status: str = "publish"  # publish | draft | pending | private | future | trash
    password: str = ""
    slug: str = ""  # empty: WordPress makes one from the title (Persian titles: percent-encoded)
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    format: str = "standard"
    sticky: bool = False
    featured_image: bool = False
    parent: str | None = None  # a page's parent, by key
    comments: tuple[Comment, ...] = ()

    @property
    def searchable(self) -> bool:
        """What a reader can read without logging in: published, no password."""
        return self.status == "publish" and not self.password


@dataclass(frozen=True)
class User:
    login: str
    display_name: str
    role: str = "author"


@dataclass(frozen=True)
class Category:
    name: str
    slug: str
    parent: str | None = None  # by name


@dataclass(frozen=True)
class SiteContent:
    language: str
    locale: str
    title: str
    users: tuple[User, ...]
    categories: tuple[Category, ...]
    posts: tuple[Post, ...] = field(default_factory=tuple)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> SiteContent:
        data = json.loads(text)
        posts = tuple(Post(**{**p, "paragraphs": tuple(p["paragraphs"]), "categories": tuple(p["categories"]),
                              "tags": tuple(p["tags"]),
                              "comments": tuple(Comment(**c) for c in p["comments"])})
                      for p in data["posts"])
        return cls(language=data["language"], locale=data["locale"], title=data["title"],
                   users=tuple(User(**u) for u in data["users"]),
                   categories=tuple(Category(**c) for c in data["categories"]), posts=posts)

    def by_key(self) -> dict[str, Post]:
        return {post.key: post for post in self.posts}

    def category_path(self, name: str) -> list[str]:
        """The category's ancestors and itself, root first."""
        parents = {c.name: c.parent for c in self.categories}
        path = [name]
        while parents.get(path[0]):
            path.insert(0, str(parents[path[0]]))
        return path


def plan_wordpress(sections: Mapping[str, Sequence[Section]], *, posts: int = 70, seed: int = 1,
                   now: datetime) -> dict[str, SiteContent]:
    """The English and the Persian site. ``now`` (UTC) places the scheduled posts ahead of it."""
    plan = _before(site_plan.plan_site(sections, articles=posts, seed=seed), now)
    sites = {}
    for language in ("en", "fa"):
        authors = tx.AUTHORS_EN if language == "en" else tx.AUTHORS_FA
        categories = tx.CATEGORIES_EN if language == "en" else tx.CATEGORIES_FA
        wp_posts = [_post(article) for article in plan.posts(language)]
        wp_posts = _hidden(_special(wp_posts, language), now)
        if language == "en":
            wp_posts += _pages(plan.pages)
        sites[language] = SiteContent(
            language=language, locale=LOCALES[language], title=SITE_TITLES[language],
            users=tuple(User(a.slug, a.name) for a in authors),
            categories=tuple(Category(c.name, c.slug, PARENTS.get(c.name)) for c in categories),
            posts=tuple(wp_posts))
    return sites


def _before(plan: site_plan.SitePlan, now: datetime) -> site_plan.SitePlan:
    """The plan moved back in time if its newest post or comment is not a day in the past:
    WordPress schedules a post dated in the future instead of publishing it."""
    moments = [m for a in plan.articles
               for m in (a.published, a.modified, *(c.posted for c in a.comments)) if m]
    late = max(moments) - (now - timedelta(days=1))
    if late <= timedelta(0):
        return plan

    def back(article: site_plan.Article) -> site_plan.Article:
        return replace(article, published=article.published - late,
                       modified=article.modified - late if article.modified else None,
                       comments=tuple(replace(c, posted=c.posted - late) for c in article.comments))

    return replace(plan, articles=tuple(map(back, plan.articles)), pages=tuple(map(back, plan.pages)))


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _post(article: site_plan.Article) -> Post:
    return Post(
        key=f"post-{article.id}", post_type="post", title=article.title, paragraphs=article.paragraphs,
        date=_iso(article.published), modified=_iso(article.modified) if article.modified else None,
        author=article.author.slug, slug=article.slug if article.language == "en" else "",
        categories=tuple(c.name for c in article.categories), tags=tuple(t.name for t in article.tags),
        format="video" if article.type == "video" else "standard",
        comments=tuple(Comment(c.author, c.text, _iso(c.posted)) for c in article.comments))


def _special(posts: list[Post], language: str) -> list[Post]:
    """Sticky posts, the other formats, featured images, a held and a threaded comment."""
    out = list(posts)
    standard = [i for i, p in enumerate(out) if p.format == "standard"]
    formats = FORMATS if language == "en" else FORMATS[:1]
    for index, fmt in zip(standard[-len(formats):], formats, strict=False):
        out[index] = _with(out[index], format=fmt)
    for index in standard[:STICKY]:
        out[index] = _with(out[index], sticky=True)
    for index in standard[STICKY:STICKY + FEATURED_IMAGES]:
        out[index] = _with(out[index], featured_image=True)
    commented = next((i for i, p in enumerate(out) if p.comments), None)
    if commented is not None:
        first = out[commented].comments[0]
        extra = (Comment("Visitor", first.text, first.date, approved=False),
                 Comment(tx.COMMENTERS[0], first.text, first.date, reply_to=0))
        out[commented] = _with(out[commented], comments=out[commented].comments + extra)
    return out


def _hidden(posts: list[Post], now: datetime) -> list[Post]:
    """The newest standard posts moved to states no reader sees (English: every state;
    Persian: a draft and a scheduled post)."""
    states = HIDDEN_STATES if len(posts) > 3 * len(HIDDEN_STATES) else ("draft", "future")
    plain = [i for i, p in enumerate(posts) if p.format == "standard" and not p.sticky
             and not p.featured_image and all(c.approved for c in p.comments)]
    out = list(posts)
    for index, state in zip(plain[-len(states):], states, strict=False):
        post = out[index]
        if state == "password":
            out[index] = _with(post, password="open-sesame")  # noqa: S106 (a sample post's)
        elif state == "future":
            ahead = now + SCHEDULED_AHEAD + timedelta(days=index)
            out[index] = _with(post, status="future", date=_iso(ahead), modified=None)
        else:
            out[index] = _with(post, status=state)
    return out


def _pages(pages: Sequence[site_plan.Article]) -> list[Post]:
    """The static pages; the plan's members-only page becomes a private child page."""
    out = []
    for page in pages:
        private = page.slug.startswith("members/")
        out.append(Post(
            key=f"page-{page.slug.rsplit('/', 1)[-1]}", post_type="page", title=page.title,
            paragraphs=page.paragraphs, date=_iso(page.published), modified=None,
            author=page.author.slug, slug=page.slug.rsplit("/", 1)[-1],
            status="private" if private else "publish", parent="page-join-us" if private else None))
    # A published child page, /join-us/volunteer/, with the private page's text (never searchable,
    # so no other indexed page shares it).
    members = next(page for page in pages if page.slug.startswith("members/"))
    out.append(Post(key="page-volunteer", post_type="page", title="Volunteer With Us",
                    paragraphs=members.paragraphs[::-1], date=_iso(members.published), modified=None,
                    author=members.author.slug, slug="volunteer", parent="page-join-us"))
    return out


def _with(post: Post, **changes: object) -> Post:
    return replace(post, **changes)  # type: ignore[arg-type]
