"""Django admin of jobs models: reads through visible_to, writes through the services."""
