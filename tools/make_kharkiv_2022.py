#!/usr/bin/env python3
"""How the map of scenarios/kharkiv_2022.ron was first derived from ../shared/reference.

It prints the `map` block (terrain and control rows) and the river, border and place
coordinates that were pasted into the RON file, which is the source of truth and is
edited by hand from here on. It is kept so that anyone can see how they were derived: the same projection as src/geo.rs (odd-r pointy hexes,
equirectangular about the map's middle latitude), rivers/border/places from the
reference's geo/*.csv, forests from the approximate belts below, and initial control
from an approximate front line of 6 September 2022 (no machine-readable front line
exists in the reference: see its section 8, "Gaps").
Usage: python3 tools/make_kharkiv_2022.py ../shared/reference > map-block.txt
"""
import csv, math, sys

REF = sys.argv[1] if len(sys.argv) > 1 else "../shared/reference"
ORIGIN = (50.65, 35.90)
HEX_KM = 5.0
COLS, ROWS = 40, 51
KM_LAT = 110.574
KM_LON_EQ = 111.320

def hex_center_km(col, row):
    return (HEX_KM * (col + 0.5 * (row & 1)), HEX_KM * math.sqrt(3) / 2 * row)

# reference latitude: middle of the hex centres, as src/geo.rs's default
REF_LAT = ORIGIN[0] - (hex_center_km(0, ROWS - 1)[1] / KM_LAT) / 2
KM_LON = KM_LON_EQ * math.cos(math.radians(REF_LAT))

def to_km(lat, lon):
    return ((lon - ORIGIN[1]) * KM_LON, (ORIGIN[0] - lat) * KM_LAT)

def center_latlon(col, row):
    x, y = hex_center_km(col, row)
    return (ORIGIN[0] - y / KM_LAT, ORIGIN[1] + x / KM_LON)

def read_csv(name):
    with open(f"{REF}/geo/{name}") as f:
        return list(csv.DictReader(f))

rivers = {}
for r in read_csv("rivers.csv"):
    rivers.setdefault(r["river"], []).append((int(r["seq"]), float(r["lat"]), float(r["lon"])))
for k in rivers:
    rivers[k] = [(a, b) for _, a, b in sorted(rivers[k])]
border = [(float(r["lat"]), float(r["lon"])) for r in sorted(read_csv("border.csv"), key=lambda r: int(r["seq"]))]

def seg_dist(p, a, b):
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    t = max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy or 1)))
    cx, cy = ax + t * dx, ay + t * dy
    side = dx * (py - ay) - dy * (px - ax)
    return math.hypot(px - cx, py - cy), side

def river_info(p, name):
    pts = [to_km(*q) for q in rivers[name]]
    best = (1e9, 0)
    for a, b in zip(pts, pts[1:]):
        d = seg_dist(p, a, b)
        if d[0] < best[0]:
            best = d
    return best

def inside(p, poly):
    x, y = p
    n, c = len(poly), False
    for i in range(n):
        (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % n]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            c = not c
    return c

# Approximate front line, 6 Sep 2022, north to south (lat, lon). [uncertain: drawn from
# the reference's narrative (Balakliia, Izium, Sviatohirsk, Lyman, Kupiansk held by
# Russia; Chuhuiv, Pechenihy, Staryi Saltiv, Barvinkove, Sloviansk, Siversk by Ukraine).]
FRONT = [(50.44, 36.00), (50.30, 36.14), (50.22, 36.32), (50.17, 36.52), (50.12, 36.72),
         (50.10, 36.84), (49.97, 36.89), (49.88, 36.99), (49.74, 36.97), (49.60, 36.84),
         (49.52, 36.74), (49.44, 36.76), (49.34, 36.86), (49.22, 36.92), (49.10, 36.98),
         (49.01, 37.10), (48.99, 37.28), (49.00, 37.44), (48.99, 37.53), (48.98, 37.64),
         (48.94, 37.74), (48.92, 37.86), (48.90, 38.02), (48.90, 38.20), (48.86, 38.32),
         (48.78, 38.36), (48.60, 38.38)]
front_km = [to_km(*p) for p in FRONT]
# Russia-held polygon: the front line, then the border west to the map edge, round the north and east.
west_border = [to_km(*p) for p in border if p[1] < FRONT[0][1]]
poly = front_km + [to_km(48.0, 38.38), to_km(48.0, 40.0), to_km(52.0, 40.0), to_km(52.0, 35.0)] \
    + [to_km(p[0], p[1]) for p in [(50.50, 35.0)]] + list(reversed(west_border))

places = []
for r in read_csv("places.csv"):
    places.append((r["name"].split(" (")[0], float(r["lat"]), float(r["lon"]), r["rating"]))

def on_map(lat, lon):
    x, y = to_km(lat, lon)
    return -HEX_KM / 2 <= x <= HEX_KM * (COLS - 0.5) and -HEX_KM * 0.5 <= y <= hex_center_km(0, ROWS - 1)[1] + HEX_KM * 0.5

CITY = {"Kharkiv", "Belgorod"}
TOWN = {"Chuhuiv", "Zmiiv", "Balakliia", "Kupiansk", "Izium", "Lozova", "Sloviansk", "Kramatorsk",
        "Lyman", "Svatove", "Rubizhne", "Sievierodonetsk", "Lysychansk", "Vovchansk", "Valuyki",
        "Shebekino", "Kupiansk-Vuzlovyi", "Barvinkove", "Kreminna", "Siversk", "Velykyi Burluk"}

def hrand(c, r, salt):
    return ((c * 73856093) ^ (r * 19349663) ^ (salt * 83492791)) % 1000 / 1000.0

terrain, control = [], []
urban = set()
for name, lat, lon, _ in places:
    if on_map(lat, lon) and (name in CITY or name in TOWN):
        x, y = to_km(lat, lon)
        best = min(((c, r) for c in range(COLS) for r in range(ROWS)),
                   key=lambda h: math.dist(hex_center_km(*h), (x, y)))
        urban.add(best)
        if name in CITY:
            c, r = best
            for dc, dr in [(-1, 0), (1, 0)] + ([(0, -1), (-1 if r % 2 == 0 else 1, -1)] if name == "Kharkiv" else []):
                urban.add((c + dc, r + dr))
for r in range(ROWS):
    trow, crow = [], []
    for c in range(COLS):
        p = hex_center_km(c, r)
        lat, lon = center_latlon(c, r)
        t = "."
        dd, side = river_info(p, "Siverskyi Donets")
        do, _ = river_info(p, "Oskil")
        # Forest belts [uncertain: not in the reference; approximate from general maps]:
        # the pine forests on the Donets' left-bank sand terraces from Zmiiv to Izium, and
        # the great forest of the Holy Mountains, Lyman and Kreminna.
        if 36.25 <= lon <= 37.35 and dd < 9 and hrand(c, r, 1) < 0.55:
            t = "f"
        if 37.35 <= lon <= 38.45 and 48.90 <= lat <= 49.15 and dd < 16 and hrand(c, r, 2) < 0.75:
            t = "f"
        if 36.55 <= lon <= 36.95 and 49.95 <= lat <= 50.15 and hrand(c, r, 3) < 0.45:
            t = "f"
        # The drained bed of the Oskil reservoir: mud [firm that it was drained].
        if 49.12 <= lat <= 49.42 and do < 3.0:
            t = "m"
        if (c, r) in urban:
            t = "u"
        trow.append(t)
        crow.append("R" if inside(p, poly) else "U")
    terrain.append("".join(trow))
    control.append("".join(crow))

# Emit the map block and the geographic lists; the rest of the file is written by hand.
print("    map: Map(")
print(f"        hex_km: {HEX_KM},")
print(f"        origin: ({ORIGIN[0]}, {ORIGIN[1]}),")
print("        // One character per hex; odd rows lie half a hex east. Legend in terrain_types.")
print("        terrain: [")
for i, row in enumerate(terrain):
    print(f'            "{row}", // {i}')
print("        ],")
print("        // Who holds each hex on 6 September 2022 [uncertain: approximate front line].")
print("        control: [")
for i, row in enumerate(control):
    print(f'            "{row}", // {i}')
print("        ],")
print("    ),")
for name, pts in rivers.items():
    print(f"    // {name}: {len(pts)} points from geo/rivers.csv")
    print("    RIVER " + name + " " + " ".join(f"({a:.4f}, {b:.4f})," for a, b in pts))
print("    BORDER " + " ".join(f"({a:.4f}, {b:.4f})," for a, b in border))
for name, lat, lon, rating in places:
    if on_map(lat, lon):
        size = "City" if name in CITY else "Town" if name in TOWN else "Village"
        print(f'    PLACE Place(name: "{name}", at: LatLon({lat:.2f}, {lon:.2f}), size: {size}), // {rating}')
    else:
        print(f"    // off map: {name}")
