"""A small book written for these tests, so the sample generators run without apt or network."""

from __future__ import annotations

from pathlib import Path

import pytest

from samples.prose import Prose, Section

ENGLISH = (
    ("Installing a Package", (
        "A package is installed with the package manager, which first downloads the archive from a "
        "mirror and then checks its signature before anything is written to the disk.",
        "Once the files are in place, the maintainer scripts configure the service, and the administrator "
        "can review the new configuration files under the etc directory at leisure.",
    )),
    ("Configuring the Network", (
        "The network interfaces are described in a single file, where each interface gets an address, a "
        "netmask and a gateway, or simply asks a DHCP server for all three at boot.",
        "When the machine acts as a router, forwarding must be enabled in the kernel, and a firewall should "
        "decide which packets may cross from one network to the other.",
        "Name resolution deserves care as well: a local DNS cache answers repeated queries quickly and keeps "
        "working for a while when the upstream servers are unreachable.",
    )),
    ("Keeping the System Secure", (
        "Security updates are published for the stable release and should be applied promptly; an "
        "unattended upgrade job can install them every night without any manual step.",
        "Passwords alone are a weak defence for remote logins, so administrators prefer keys for the secure "
        "shell and disable password authentication once the keys are deployed.",
    )),
    ("Backing Up Data", (
        "A backup that has never been restored is only a hope, which is why the team restores a random "
        "archive every month onto a spare disk and compares the files.",
        "Copies are kept in two places, one of them off site, and the oldest archives are pruned by a "
        "scheduled job so that the storage never fills up unexpectedly.",
    )),
    ("Running a Web Server", (
        "The web server answers on port eighty and four hundred forty three, serves static files directly "
        "and hands dynamic requests to an application server running behind it.",
        "Each virtual host gets its own configuration file and its own log files, which makes it easy to "
        "enable, disable or monitor one site without touching the others.",
    )),
    ("Joining the Community", (
        "Volunteers translate the documentation, answer questions on the mailing lists and report bugs, and "
        "the community depends on this work as much as on the code itself.",
        "Newcomers are encouraged to start small, with a typo fix or a translation, before they take on the "
        "maintenance of a package of their own with the help of a mentor.",
    )),
)

PERSIAN = (
    ("نصب بسته‌ها", (
        "برای نصب یک بسته، مدیر بسته ابتدا فایل را از یک مخزن دریافت می‌کند و امضای آن را بررسی می‌کند "
        "و سپس فایل‌ها را روی دیسک می‌نویسد و سرویس را پیکربندی می‌کند.",
        "پس از نصب، مدیر سیستم می‌تواند فایل‌های پیکربندی تازه را بررسی کند و در صورت نیاز آن‌ها را "
        "با نیازهای شبکه و کاربران خود هماهنگ کند.",
    )),
    ("امنیت سرور", (
        "به‌روزرسانی‌های امنیتی برای نسخه پایدار منتشر می‌شوند و باید بی‌درنگ نصب شوند؛ یک کار زمان‌بندی "
        "شده می‌تواند هر شب آن‌ها را بدون دخالت کاربر نصب کند.",
        "گذرواژه به تنهایی برای ورود از راه دور کافی نیست، بنابراین مدیران سرور از کلید استفاده می‌کنند "
        "و ورود با گذرواژه را غیرفعال می‌کنند.",
    )),
    ("پیکربندی شبکه", (
        "هر رابط شبکه در یک فایل توصیف می‌شود که نشانی، ماسک شبکه و دروازه را مشخص می‌کند یا همه را از "
        "یک سرور دی‌اچ‌سی‌پی در زمان راه‌اندازی درخواست می‌کند.",
    )),
)


def small_prose() -> Prose:
    return Prose(sections={"en": tuple(Section(t, p) for t, p in ENGLISH),
                           "fa": tuple(Section(t, p) for t, p in PERSIAN)},
                 source="test-book")


@pytest.fixture(scope="session")
def prose() -> Prose:
    return small_prose()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, prose: Prose):  # type: ignore[no-untyped-def]
    """The sample site built once from the small book: (report, directory)."""
    from samples import site

    out: Path = tmp_path_factory.mktemp("site")
    report = site.build(out, prose.sections, articles=200, seed=7, source=prose.source)
    return report, out
