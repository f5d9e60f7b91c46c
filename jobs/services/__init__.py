"""Every write of jobs data, one service each, in one transaction, with change history."""
