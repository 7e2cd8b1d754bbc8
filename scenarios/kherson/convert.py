#!/usr/bin/env python3
"""Turns the sourced CSV geography of ../../../shared/reference/geo-kherson/ into the
GeoJSON layers kherson_2022.ron reads (rivers, places, water), as an author would with
QGIS's "Add delimited text layer" and "Save features as GeoJSON". Standard library only.

    python3 scenarios/kherson/convert.py PATH/TO/geo-kherson

Coordinates are kept at 5 decimals, as in the CSVs; GeoJSON order is [lon, lat].
"""
import csv
import json
import sys
from pathlib import Path

SRC = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[3] / "shared/reference/geo-kherson"
OUT = Path(__file__).parent
# The map's frame with a margin: places beyond it are left out of the layer.
BOX = (46.20, 48.05, 31.70, 34.45)  # south, north, west, east
# Cities and towns (the rest are villages): regional centres and raion towns [GeoNames
# feature classes are not in places.csv; these are the project's reading, derived].
CITIES = {"Kherson", "Mykolaiv", "Kryvyi Rih", "Nikopol"}
TOWNS = {
    "Nova Kakhovka", "Beryslav", "Kakhovka", "Oleshky", "Hola Prystan", "Snihurivka",
    "Bashtanka", "Chaplynka", "Kalanchak", "Apostolove", "Vysokopillia", "Velyka Oleksandrivka",
    "Novovorontsovka", "Bilozerka", "Chornobaivka", "Inhulets", "Nova Odesa", "Bereznehuvate",
    "Velyka Lepetykha", "Dudchany",
}


def feature(geometry, **props):
    return {"type": "Feature", "properties": props, "geometry": geometry}


def write(name, features):
    text = json.dumps({"type": "FeatureCollection", "features": features}, indent=1)
    (OUT / name).write_text(text + "\n")
    print(f"{name}: {len(features)} features")


def rows(name):
    with open(SRC / name, newline="") as f:
        return list(csv.DictReader(f))


def pt(r):
    return [round(float(r["lon"]), 5), round(float(r["lat"]), 5)]


# Rivers: one line each, upstream to downstream. Impassable away from crossings, as in
# the file (the scenario gives the crossings and, for the Inhulets, a crossing cost).
rivers = {}
for r in rows("rivers.csv"):
    rivers.setdefault(r["river"], []).append((int(r["seq"]), pt(r)))

# Places: the first row of a name is the scenario's (places.csv's rule); rows without
# coordinates ([not found]) are left out.
seen, places = set(), []
for r in rows("places.csv"):
    name = r["name"]
    if not r["lat"] or name in seen:
        continue
    seen.add(name)
    lat, lon = float(r["lat"]), float(r["lon"])
    if not (BOX[0] <= lat <= BOX[1] and BOX[2] <= lon <= BOX[3]):
        continue
    size = "city" if name in CITIES else "town" if name in TOWNS else "village"
    places.append(feature({"type": "Point", "coordinates": pt(r)}, name=name, size=size,
                          rating=r["rating"]))
write("places.geojson", places)

# Water. coast.csv holds coast lines clipped to the box 46.0-47.9 N, 31.4-34.7 E, not
# closed rings; each is closed here along the box's edge, outside the map.
parts = {}
for r in rows("coast.csv"):
    parts.setdefault((r["feature"], int(r["part"])), []).append((int(r["seq"]), pt(r)))
line = lambda key: [p for _, p in sorted(parts[key])]

# The sea and the Dnipro-Buh estuary: the mainland coast runs from the box's south edge
# (46.0 N, 33.62 E) round the Black Sea, the Kinburn spit, the estuary and the Buh to the
# box's west edge (46.62 N, 31.40 E); the sea is what lies between it and the box's
# south-west corner.
coast = line(("sea_coast", 2))
sea = coast + [[31.40, 46.0], coast[0]]

# The Kakhovka reservoir: GSHHS keeps the reservoir and the lower Dnipro as one polygon
# (its banks walked down one side and up the other, cut at the box's east edge). Below
# the dam the Dnipro is a river line (rivers.csv); the reservoir is the polygon upstream
# of the dam's meridian (33.3703 E), closed across the dam and along the box's edge.
DAM_LON = 33.3703
bank = line(("lake_or_river_bank", 16))
west = [i for i, p in enumerate(bank) if p[0] < DAM_LON]
reservoir = bank[: west[0]] + bank[west[-1] + 1:]
reservoir = reservoir + [reservoir[0]]

# The reservoir is as impassable as the river below the dam, but where it narrows to less
# than a hex no hex centre falls in it: so the Dnipro's line is carried up the reservoir's
# middle (each point of one bank paired with the nearest of the other, then smoothed over
# about 2 km) from the box's edge down to the dam, where rivers.csv's Dnipro begins.
import math


def km(a, b):
    dx = (a[0] - b[0]) * 111.32 * math.cos(math.radians(47.0))
    dy = (a[1] - b[1]) * 110.57
    return math.hypot(dx, dy)


south_bank = bank[: west[0]]              # from the box's edge down to the dam
north_bank = bank[west[-1] + 1:]
middle = []
for p in south_bank[::5]:
    q = min(north_bank, key=lambda q: km(p, q))
    middle.append([(p[0] + q[0]) / 2, (p[1] + q[1]) / 2])
smooth = []
for i in range(len(middle)):
    w = middle[max(0, i - 4): i + 5]
    smooth.append([round(sum(x for x, _ in w) / len(w), 5), round(sum(y for _, y in w) / len(w), 5)])
# Bays pull a midpoint aside: a course that does not draw nearer the dam at each point
# would loop, so such points are dropped.
dam = bank[west[0]]
course = []
for p in smooth:
    if not course or km(p, dam) < km(course[-1], dam) - 0.5:
        course.append(p)
smooth = course
dnipro = [p for _, p in sorted(rivers["Dnipro"])]
rivers["Dnipro"] = list(enumerate(smooth + dnipro))
write("rivers.geojson", [
    feature({"type": "LineString", "coordinates": [p for _, p in sorted(pts)]}, name=name)
    for name, pts in rivers.items()
])

# The estuary's islands (GSHHS level 1, at least 0.5 km2) are too small for a 5 km hex.
write("water.geojson", [
    feature({"type": "Polygon", "coordinates": [sea]}, name="Black Sea and Dnipro-Buh estuary", terrain="water"),
    feature({"type": "Polygon", "coordinates": [reservoir]}, name="Kakhovka reservoir", terrain="water"),
])
