"""Rendering the interactive map: the folium page (:mod:`conflictmap.render.build`),
its small elements and inlined assets, images through headless Chromium
(:mod:`conflictmap.render.static`) and the data exports (:mod:`conflictmap.render.export`).

Nothing is imported here, so that a data export does not load folium."""
