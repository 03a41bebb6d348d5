"""Search over every code set: what a coder types, read the way a coder means it.

The entry point is `lookup.search.query.search_codes`, which the search view and the bench
call. The package, in the order a query meets it:

- `query`: the query cleaned and its kind read (a range, a code or the start of one, or
  words), and handed to the search for that kind;
- `codes`: codes and prefixes (`E11.9`, `J11`), and ranges (`77261-77799`), on browse's
  range query (lookup/browse.py);
- `words`: ranked full-text search over the stored search vectors;
- `spelling`: misspelt words corrected from the vocabulary by trigram similarity;
- `highlight`: the matched words marked in each result's title;
- `index`: what is indexed (the generated search columns) and the triggers that keep the
  spelling vocabulary; migrations and `lookup.models` build on it;
- `result`: the answer every kind of search gives (`SearchResult`);
- `views`: the search page and its htmx partials.

This module imports nothing: `lookup.models` imports `index` while it is being defined.
"""
