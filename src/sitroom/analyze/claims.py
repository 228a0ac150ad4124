def extract(doc, *args):
    return []
