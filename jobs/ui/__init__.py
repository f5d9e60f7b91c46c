"""What jobs pages are assembled from that is not a layer of its own (panels, drawings)."""
