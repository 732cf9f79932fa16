"""Role × route: every route of the application, asked by every kind of person, over real HTTP.

Rows are the routes of ``app.routes`` (a route added without its rows fails
``test_completude.py``); columns are who asks (``commun.ROLES``); each cell says what they
must get:

* ``ok``   allowed (the case's own success status, and it sees the dossier when that matters);
* ``vide`` allowed, but the answer must not contain the dossier (lists, searches, polling);
* ``401`` / ``403`` / ``404`` refused with that status — a 404 must also be word for word the
  answer for a parcours that does not exist, so that existence does not leak;
* ``cnx``  a cockpit page that sends to the login page.

Whatever the status, no answer of any cell may hold a working link to the person's carnet
(``/carnet/`` and a secret whose fingerprint opens it, or that secret anywhere), nor the
person's phone or e-mail unless the role is one of ``CONTACTS_VISIBLES`` (docs/donnees-personnelles.md,
« Qui voit les coordonnées »).

Where a route's rows go — one file per family, each with its ``LIGNES`` and its
``test_matrice`` (one test per route):

* ``test_publiques.py``: the same answer for everyone (health, documentation, login, the
  footer's pages, Prometheus');
* ``test_parcours.py``: the parcours by the API (accueil, search, dossier, contract, export),
  catalogue and directory, the person's carnet by their link;
* ``test_commandes.py``: every command (``POST /api/v1/parcours/{id}/<commande>``) and the
  cockpit's command forms, the message's preview, the search of services;
* ``test_cockpit.py``: the référent's desk (search, accueil form, the dossier's page and its
  fragments);
* ``test_coordination.py``: the coordination's pages, the events « à rapprocher », the
  incidents, the imports of lists;
* ``test_observatoire.py``; ``test_administration.py`` (structures, accounts, activation,
  audit, codec, API tokens, message templates); ``test_partenaires.py`` (events, callbacks and
  webhooks signed by a partner); ``test_documents.py``; ``test_entreprises.py`` (companies,
  offers, pool, proposals); ``test_evenements_employeurs.py`` (job datings, social clauses);
  ``test_equipe.py``; ``test_notifications.py``;
  ``test_agendas.py`` (agendas, rendez-vous, collective sessions); ``test_orientation.py``.

A new family is a new ``test_<famille>.py`` named in ``lignes.py``. What the families share
(roles, the rows many routes share, ``Cas``, ``req``, how a cell is judged): ``commun.py``;
the dossier every row asks about (``Contexte``) and what the set-up creates for the rows to
name: ``dossier.py``; its set-up, step by step: ``mise_en_place.py``, made once by the
``contexte`` fixture of ``conftest.py``.
"""
