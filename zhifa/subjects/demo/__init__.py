"""The demo city generator behind `manage.py demo_data` (issue 2 item 7). See docs/demo-data.md."""
