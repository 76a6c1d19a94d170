"""Hectares are ellipsoidal: the local equal-area projection agrees with pyproj.Geod."""

from __future__ import annotations

import math

import numpy as np
import pyproj
import pytest
import shapely
from shapely import box

from kotaku_map.crs import (
    DISPLAY_CRS,
    area_ha,
    check_lonlat,
    geodesic_area_ha,
    local_equal_area,
    reproject,
    resolve_crs,
)
from kotaku_map.errors import CRSError

GEOD = pyproj.Geod(ellps="WGS84")

PLACES = {  # lon, lat
    "Sabang": (95.3, 5.9),
    "Jakarta": (106.83, -6.2),
    "Pekalongan": (109.67, -6.89),
    "Merauke": (140.4, -8.5),
}


def square_ha(lon: float, lat: float, ha: float) -> shapely.Polygon:
    """A lon/lat square of about ``ha`` hectares, densified so its edges follow geodesics."""
    side_m = math.sqrt(ha * 10_000)
    dlat = side_m / 110_574
    dlon = side_m / (111_320 * math.cos(math.radians(lat)))
    return shapely.segmentize(box(lon, lat, lon + dlon, lat + dlat), dlat / 20)


def geod_ha(geom: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 10_000


def projected_ha(geom: shapely.Geometry, crs: pyproj.CRS) -> float:
    to = pyproj.Transformer.from_crs(DISPLAY_CRS, crs, always_xy=True)
    return float(area_ha(shapely.transform(geom, lambda xy: np.column_stack(to.transform(*xy.T)))))


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("ha", [1, 50, 5_000])
def test_local_equal_area_matches_geodesic(place, ha):
    lon, lat = PLACES[place]
    geom = square_ha(lon, lat, ha)
    # the city's centre is up to ~30 km away from the polygon: the projection is per city
    crs = local_equal_area(lon - 0.2, lat + 0.2)
    assert projected_ha(geom, crs) == pytest.approx(geod_ha(geom), rel=1e-4)
    assert geodesic_area_ha(geom) == pytest.approx(geod_ha(geom), rel=1e-12)
    assert geod_ha(geom) == pytest.approx(ha, rel=0.01)


def test_utm_at_zone_edge_is_off_by_more_than_the_tolerance():
    # zone 49 runs 108°E-114°E; at 113.9°E the scale error is ~0.17 % in area
    geom = square_ha(113.9, -7.0, 100)
    utm = projected_ha(geom, pyproj.CRS.from_epsg(32749))
    laea = projected_ha(geom, local_equal_area(113.9, -7.0))
    truth = geod_ha(geom)
    assert abs(utm / truth - 1) > 1e-3
    assert abs(laea / truth - 1) < 1e-4


def test_geodesic_area_ignores_ring_orientation():
    ccw = box(110.0, -7.0, 110.01, -6.99)
    cw = box(110.02, -7.0, 110.03, -6.99, ccw=False)
    one = geodesic_area_ha(ccw)
    assert geodesic_area_ha(shapely.MultiPolygon([ccw, cw])) == pytest.approx(2 * one)
    # a hole drawn in the same direction as its shell is still a hole
    hole = box(110.002, -6.998, 110.008, -6.992)
    donut = shapely.Polygon(ccw.exterior.coords, [hole.exterior.coords])
    assert geodesic_area_ha(donut) == pytest.approx(one * (1 - 0.36), rel=1e-6)
    assert geodesic_area_ha(shapely.Polygon()) == 0.0


def test_local_equal_area_is_equal_area_on_wgs84():
    crs = local_equal_area(109.67, -6.89)
    assert crs.is_projected
    assert crs.ellipsoid.name == "WGS 84"
    assert "Lambert Azimuthal Equal Area" in crs.coordinate_operation.method_name


def test_resolve_crs():
    assert resolve_crs("EPSG:9489", source="c.toml").name == "SRGI2013 / UTM zone 49S"
    assert resolve_crs(4326, source="c.toml").to_epsg() == 4326
    with pytest.raises(
        CRSError,
        match=r"c\.toml: analysis\.assume_crs 'UTM49' is not a CRS "
        r"pyproj knows \(expected e\.g\. 'EPSG:4326'",
    ):
        resolve_crs("UTM49", source="c.toml", key="analysis.assume_crs")


def _bounds(*boxes: tuple[float, float, float, float]) -> np.ndarray:
    return np.array(boxes, dtype=float)


def test_check_lonlat_mask_and_errors():
    rows = np.array([1, 2, 3])
    inside = _bounds(
        (110.4, -6.9, 110.5, -6.8), (10.0, 50.0, 10.1, 50.1), (np.nan, np.nan, np.nan, np.nan)
    )
    mask = check_lonlat(inside, source="a.shp", layer="x", crs=DISPLAY_CRS, rows=rows)
    assert mask.tolist() == [True, False, False]
    metres = _bounds((430_000, 9_237_000, 431_000, 9_238_000))
    with pytest.raises(
        CRSError,
        match=r"a\.shp, layer 'x': coordinates look like metres "
        r"\(row 7: x=430000, y=9237000\)",
    ):
        check_lonlat(metres, source="a.shp", layer="x", crs=DISPLAY_CRS, rows=np.array([7]))
    swapped = _bounds((-6.9, 110.4, -6.8, 110.5))
    with pytest.raises(CRSError, match=r"latitude and longitude look swapped \(row 1"):
        check_lonlat(swapped, source="a.shp", layer=None, crs=DISPLAY_CRS, rows=rows[:1])
    degrees = _bounds((110.4, -6.9, 110.5, -6.8))
    with pytest.raises(CRSError, match=r"coordinates look like degrees .* labelled EPSG:32749"):
        check_lonlat(
            degrees, source="a.shp", layer=None, crs=pyproj.CRS.from_epsg(32749), rows=rows[:1]
        )


def test_reproject_gives_the_coordinates_of_to_crs_to_the_last_bit(monkeypatch):
    """A local equal-area CRS's transformation from its pipeline, not PROJ's database."""
    import geopandas as gpd

    asked = []  # what reproject asks of PROJ's database (geopandas keeps its own reference)
    from_crs = pyproj.Transformer.from_crs
    monkeypatch.setattr(
        pyproj.Transformer, "from_crs", lambda *a, **k: asked.append(a) or from_crs(*a, **k)
    )

    rng = np.random.default_rng(20170214)
    for lon, lat in rng.uniform((95.0, -11.0), (141.0, 6.0), size=(40, 2)):  # numpy floats
        crs = local_equal_area(lon, lat)
        pts = shapely.points(
            rng.uniform(lon - 0.5, lon + 0.5, 500), rng.uniform(lat - 0.5, lat + 0.5, 500)
        )
        geoms = np.array(
            [shapely.Polygon(shapely.get_coordinates(pts[:300])), *pts[300:]], dtype=object
        )
        there = gpd.GeoSeries(geoms, crs=DISPLAY_CRS).to_crs(crs).values
        mine = reproject(geoms, DISPLAY_CRS, crs)
        assert np.array_equal(shapely.get_coordinates(mine), shapely.get_coordinates(there))
        back = gpd.GeoSeries(mine, crs=crs).to_crs(DISPLAY_CRS).values
        assert np.array_equal(
            shapely.get_coordinates(reproject(mine, crs, DISPLAY_CRS)),
            shapely.get_coordinates(back),
        )
    z = np.array([shapely.Point(lon, lat, 7.0)], dtype=object)  # a Z coordinate stays one
    there = gpd.GeoSeries(z, crs=DISPLAY_CRS).to_crs(crs).values
    assert np.array_equal(
        shapely.get_coordinates(reproject(z, DISPLAY_CRS, crs), include_z=True),
        shapely.get_coordinates(there, include_z=True),
    )
    assert asked == []
    utm = pyproj.CRS.from_epsg(32749)  # any other pair: through pyproj, as geopandas does
    there = gpd.GeoSeries(geoms, crs=DISPLAY_CRS).to_crs(utm).values
    assert np.array_equal(
        shapely.get_coordinates(reproject(geoms, DISPLAY_CRS, utm)), shapely.get_coordinates(there)
    )
    assert len(asked) == 1
    assert reproject(geoms, DISPLAY_CRS, DISPLAY_CRS) is geoms
