def extract(doc, document, places, times, quantities):
    return []
