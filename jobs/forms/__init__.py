"""Forms of jobs pages: the shape of input; services decide what is allowed."""
