"""GDC Assistant: question the UN Global Digital Compact."""
