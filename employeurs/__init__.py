"""The employers' side of the platform (issue 24): the directory of companies, their offers,
and the connectors that fill them. A service under the routes: nothing here imports web/."""
