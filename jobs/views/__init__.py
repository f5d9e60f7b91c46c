"""Jobs pages: staff pages under /jobs/ (employers, openings, referrals, placements) and the partner portal."""
