"""Every read of jobs data, each for the user it reads for (docs/architecture.md)."""
