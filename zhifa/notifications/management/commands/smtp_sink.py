"""Development SMTP server on loopback: every received mail is stored as an .eml file.

    python manage.py smtp_sink --port 8025 [--host 127.0.0.1] [--dir var/mail]

It stands in for the recipients' mail systems, so the e-mail channel (ZHIFA_SMTP_HOST/PORT, by
default 127.0.0.1:8025) records the sink's 250 reply as the arrival (SRV-03).
"""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "在本机回环地址上运行开发用 SMTP 服务器，收到的邮件保存为 .eml 文件"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=int(getattr(settings, "ZHIFA_SMTP_PORT", 8025)), help="监听端口（默认 ZHIFA_SMTP_PORT）")
        parser.add_argument("--dir", default=str(getattr(settings, "ZHIFA_MAIL_SINK_DIR", Path(settings.VAR_DIR) / "mail")), help="保存 .eml 的目录")

    def handle(self, *args, **options):
        try:
            from zhifa.notifications.smtp_sink import MailSink, SinkServer
        except ImportError as exc:  # aiosmtpd is a development dependency
            raise CommandError("需要安装开发依赖 aiosmtpd（pip install -r requirements-dev.txt）") from exc
        if not 0 < options["port"] < 65536:
            raise CommandError("端口应在 1–65535 之间")
        directory = Path(options["dir"])
        server = SinkServer(MailSink(directory), host=options["host"], port=options["port"])
        self.stdout.write(f"SMTP sink listening on {options['host']}:{options['port']}, mails → {directory} (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except OSError as exc:
            raise CommandError(f"无法监听 {options['host']}:{options['port']}：{exc}") from exc
        except KeyboardInterrupt:
            self.stdout.write("stopped")
