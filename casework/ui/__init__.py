"""What pages are assembled from that is not a layer of its own: the registries other apps plug into
(navigation, panels of the applicant and home pages) and server-side SVG drawings (the status timeline)."""
