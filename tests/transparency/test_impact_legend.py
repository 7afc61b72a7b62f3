def test_the_map_legend_gives_the_value_of_each_shade(client, make_case, donate):
    donate(make_case(region="riyadh"), 900_00, browser=False)
    page = client.get("/impact", headers={"Accept-Language": "en"}).get_data(as_text=True)
    legend = page[page.index('data-testid="map-legend"'):]
    legend = legend[:legend.index("</ul>")]
    assert "No gifts" in legend
    assert "under <bdi class=\"money\" dir=\"ltr\">SAR\u00a0300</bdi>" in legend
    assert "SAR\u00a0900</bdi>" in legend
    # The region's tooltip in the SVG is plain text: no HTML inside an SVG <title>.
    assert "<title>Riyadh: SAR\u00a0900</title>" in page
