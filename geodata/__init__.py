"""conflictmap's data files, installed as the package ``conflictmap.geodata``: the
curated gazetteer, derived administrative areas, basemap context and bundled
reports. Sources and licences: README.md in this folder."""
