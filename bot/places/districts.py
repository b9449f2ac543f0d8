"""The Regierungsbezirke ("districts") of North Rhine-Westphalia and their towns.

Some NRW authorities decide for the Regierungsbezirk where a person lives (e.g.
engineers: § 5 IngG NRW). A district is named by the first three digits of the
official municipality key (AGS): 051 Düsseldorf, 053 Köln, 055 Münster,
057 Detmold, 059 Arnsberg.

``DISTRICT_TOWNS`` lists, per district, the kreisfreie Städte, the seats of its
Kreise and their other larger towns, written as GeoNames names them. The
places build gives every NRW postcode the district of the town its locality is
named after, else of the nearest listed town (:func:`bot.places.build.build`).
"""

from __future__ import annotations

from typing import Dict, Tuple

#: Federal state -> district code -> name. Only NRW is split so far.
DISTRICTS: Dict[str, Dict[str, str]] = {
    "DE-NW": {
        "051": "Düsseldorf",
        "053": "Köln",
        "055": "Münster",
        "057": "Detmold",
        "059": "Arnsberg",
    }
}

_TOWNS = {
    # Düsseldorf: the cities, Kreis Kleve, Mettmann, Rhein-Kreis Neuss, Viersen, Wesel
    "051": """Düsseldorf Duisburg Essen Krefeld Mönchengladbach Mülheim Oberhausen Remscheid Solingen
        Wuppertal Kleve Emmerich Goch Geldern Kevelaer Straelen Kalkar Mettmann Ratingen Velbert Hilden
        Langenfeld Monheim_am_Rhein Erkrath Haan Heiligenhaus Wülfrath Neuss Dormagen Grevenbroich
        Meerbusch Kaarst Korschenbroich Jüchen Viersen Nettetal Willich Tönisvorst Kempen Brüggen Wesel
        Moers Dinslaken Kamp-Lintfort Voerde Hamminkeln Rheinberg Xanten Neukirchen-Vluyn Schermbeck""",
    # Köln: the cities, Städteregion Aachen, Düren, Rhein-Erft, Euskirchen, Heinsberg,
    # Oberbergischer Kreis, Rheinisch-Bergischer Kreis, Rhein-Sieg-Kreis
    "053": """Köln Bonn Leverkusen Aachen Stolberg Eschweiler Würselen Alsdorf Herzogenrath Baesweiler
        Monschau Düren Jülich Kreuzau Nideggen Bergheim Kerpen Hürth Frechen Pulheim Brühl Erftstadt
        Wesseling Bedburg Elsdorf Euskirchen Mechernich Zülpich Schleiden Bad_Münstereifel Heinsberg
        Erkelenz Geilenkirchen Hückelhoven Übach-Palenberg Wegberg Wassenberg Gummersbach Wiehl
        Wipperfürth Radevormwald Hückeswagen Waldbröl Bergneustadt Engelskirchen Bergisch_Gladbach
        Wermelskirchen Burscheid Leichlingen Overath Rösrath Siegburg Troisdorf Sankt_Augustin Hennef
        Königswinter Bad_Honnef Niederkassel Rheinbach Meckenheim Bornheim Lohmar Eitorf""",
    # Münster: the cities, Kreis Recklinghausen, Borken, Coesfeld, Steinfurt, Warendorf
    "055": """Münster Gelsenkirchen Bottrop Recklinghausen Marl Dorsten Gladbeck Herten Castrop-Rauxel
        Datteln Haltern_am_See Oer-Erkenschwick Waltrop Borken Bocholt Ahaus Gronau Rhede Stadtlohn
        Vreden Isselburg Coesfeld Dülmen Lüdinghausen Nottuln Olfen Steinfurt Rheine Ibbenbüren Greven
        Emsdetten Lengerich Ochtrup Hörstel Warendorf Ahlen Oelde Beckum Telgte Ennigerloh
        Drensteinfurt Sendenhorst""",
    # Detmold: Bielefeld, Kreis Gütersloh, Herford, Minden-Lübbecke, Paderborn, Lippe, Höxter
    "057": """Bielefeld Gütersloh Rheda-Wiedenbrück Verl Harsewinkel Halle Versmold Werther Herford Bünde
        Löhne Enger Vlotho Spenge Minden Bad_Oeynhausen Lübbecke Porta_Westfalica Espelkamp Petershagen
        Rahden Paderborn Delbrück Bad_Lippspringe Salzkotten Büren Detmold Lemgo Bad_Salzuflen Lage
        Blomberg Horn-Bad_Meinberg Barntrup Höxter Warburg Brakel Steinheim Bad_Driburg""",
    # Arnsberg: the cities, Hochsauerlandkreis, Märkischer Kreis, Siegen-Wittgenstein, Olpe,
    # Soest, Unna, Ennepe-Ruhr-Kreis
    "059": """Dortmund Bochum Hagen Hamm Herne Arnsberg Meschede Sundern Brilon Schmallenberg Winterberg
        Marsberg Lüdenscheid Iserlohn Menden Hemer Plettenberg Werdohl Altena Meinerzhagen Siegen
        Kreuztal Netphen Bad_Berleburg Hilchenbach Olpe Attendorn Lennestadt Soest Lippstadt Werl
        Warstein Geseke Erwitte Unna Lünen Kamen Bergkamen Schwerte Werne Selm Holzwickede Fröndenberg
        Witten Hattingen Sprockhövel Gevelsberg Schwelm Ennepetal Herdecke Wetter""",
}

#: District code -> towns in it (GeoNames names; "_" in the source stands for a space).
DISTRICT_TOWNS: Dict[str, Tuple[str, ...]] = {
    code: tuple(name.replace("_", " ") for name in towns.split()) for code, towns in _TOWNS.items()
}
