"""Jobs models arrive with the jobs issue; the app is installed so its migrations chain early."""
