"""What learning pages and panels are assembled from: the learner overview (panel and learner page) and the
server-side SVG language-progress chart."""
