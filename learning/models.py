"""Learning models arrive with the learning issue; the app is installed so its migrations chain early."""
