"""The partner API under /api/v1/partner/: what an employer user works with, through the portal's door."""
