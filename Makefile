# Parcours — les deux commandes du README : « make run » et « make test ».
# Tout s'installe depuis les fichiers du projet (requirements.lock) dans .venv/.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installe

.PHONY: run test test-postgres test-rapide test-repete chaos reconstruire histoires lint typecheck bench lock audit migrer sauvegarder restaurer image sbom outils-systeme clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

## Démarre toute la plateforme avec les données de démonstration (Ctrl-C pour arrêter).
run: $(STAMP)
	$(PY) -m devstack

## Chaque passe de pytest sur TRAVAILLEURS processus (pytest-xdist ; docs/reliability.md, « La durée
## de make test ») : les tests attendent surtout (serveurs, workflows), 3 processus occupent
## 2 cœurs. Un fichier entier par processus (loadfile) : ses fixtures de module ne sont mises en
## place qu'une fois, comme en série. TRAVAILLEURS=0 : un seul processus, dans l'ordre des fichiers.
## Par défaut 0 : sur 3 processus (≈ 16 min au lieu de ≈ 36), deux tests sont tombés sous la
## charge en 3 passes (focus du test d'ergonomie, démarrage d'une application de test) ; leurs
## causes sont trouvées et corrigées (docs/reliability.md), la valeur par défaut attend des
## passes complètes qui le confirment ; `make test TRAVAILLEURS=3` pendant le développement.
TRAVAILLEURS ?= 0
PARALLELE := -n $(TRAVAILLEURS) --dist loadfile

## Lance toute la suite de tests (installe d'abord ce qui manque, Chromium et PostgreSQL
## compris) : une passe avec le modèle de lecture sur SQLite, une seconde sur PostgreSQL.
test: $(STAMP) outils-systeme
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy .
	$(PY) scripts/audit_dependances.py
	$(PY) -m pytest $(PARALLELE)
	$(MAKE) --no-print-directory test-postgres

## La suite avec le modèle de lecture sur PostgreSQL : seuls les tests qui en reçoivent un (fixture
## bases_de_test, choix fait à la collecte : tests/fixtures/postgres.py), sauf le navigateur, les
## pannes provoquées (leur propre pile, sur SQLite) et le bench (ses propres bases).
test-postgres: $(STAMP) outils-systeme
	PARCOURS_TEST_DB=postgresql $(PY) -m pytest $(PARALLELE) -m "not browser and not fiabilite" --ignore=tests/bench

## Les tests sans navigateur ni PostgreSQL, pendant le développement.
test-rapide: $(STAMP)
	$(PY) -m pytest -m "not browser and not postgres and not fiabilite" -x -q

## Lance la suite N fois de suite (N=5) et liste chaque test tombé dans au moins une passe, avec
## la durée de chaque passe. CHEMIN=tests/workflows pour une partie, OPTIONS='-m "not browser"'
## pour pytest, HASARD=1 pour un ordre aléatoire à chaque passe (graine affichée).
N ?= 5
test-repete: $(STAMP) outils-systeme
	$(PY) -m tests.repete -n $(N) $(if $(HASARD),--hasard) -- $(PARALLELE) $(CHEMIN) $(OPTIONS)

## Pannes provoquées sur une plateforme qui tourne (aussi dans « make test ») : leurs mesures.
chaos: $(STAMP)
	$(PY) -m pytest tests/fiabilite/test_rejeu.py -q
	$(PY) -m pytest -m fiabilite tests/fiabilite -q -s

## Reconstruit le modèle de lecture des parcours depuis Temporal (worker démarré).
reconstruire: $(STAMP)
	$(PY) -m ops.reconstruction

## Réenregistre les historiques que le test de rejeu fait rejouer (tests/fiabilite/histoires/).
histoires: $(STAMP)
	$(PY) -m tests.fiabilite.enregistrer_histoires

lint: $(STAMP)
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

typecheck: $(STAMP)
	$(PY) -m mypy .

## Mesures de performance (affiche des chiffres ; ce ne sont pas des tests).
bench: $(STAMP)
	$(PY) -m bench

## Amène le modèle de lecture (DATABASE_URL, défaut : var/parcours.db) à la dernière migration.
migrer: $(STAMP)
	$(PY) -m store.migrations upgrade

## Vérifie le journal d'audit : chaîne HMAC (AUDIT_KEY) et ancrages quotidiens gardés par Temporal
## (code 1 : journal altéré ou tronqué ; code 2 : Temporal injoignable, ancrages non vérifiés).
audit: $(STAMP)
	$(PY) -m web.securite.verifier_audit

## Sauvegarde chiffrée (SAUVEGARDE_CLE) du modèle de lecture, de la base de Temporal, des
## fichiers de var/ et, avec PIECES_S3_BUCKET, des pièces du stockage S3, plateforme en marche,
## dans SAUVEGARDE_DIR (docs/sauvegardes.md).
sauvegarder: $(STAMP)
	$(PY) -m ops.sauvegarde sauvegarder

## Remet en place une sauvegarde, plateforme arrêtée : make restaurer ARCHIVE=sauvegardes/parcours-….sauvegarde
restaurer: $(STAMP)
	@test -n "$(ARCHIVE)" || { echo "Indiquez l'archive : make restaurer ARCHIVE=sauvegardes/parcours-….sauvegarde"; exit 2; }
	$(PY) -m ops.sauvegarde restaurer "$(ARCHIVE)"

## L'image de production étiquetée de sa version (le tag git, ou le commit s'il n'y en a pas),
## qu'elle dit dans /livez, dans parcours_build_info et au pied des pages d'administration.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo inconnue)
image:
	docker build --build-arg PARCOURS_VERSION=$(VERSION) -t parcours:$(VERSION) -t parcours:latest .

## La nomenclature logicielle (SBOM, CycloneDX 1.6, JSON) de requirements.lock : chaque paquet
## verrouillé, sa version, son PURL et ses empreintes ; à publier avec l'image (CHANGELOG.md).
## VERROU=requirements-image.lock : celle de l'image seule (avec les empreintes de chaque fichier).
SBOM ?= build/parcours.cdx.json
VERROU ?= requirements.lock
sbom: $(STAMP)
	@mkdir -p $(dir $(SBOM))
	$(VENV)/bin/cyclonedx-py requirements $(VERROU) --pyproject pyproject.toml \
		--of JSON --output-reproducible -o $(SBOM)

## Régénère les verrous : requirements.lock (tout, outils de développement compris) puis
## requirements-image.lock, celui de l'image : les seules dépendances d'exécution, aux mêmes
## versions, avec leurs empreintes (le Dockerfile les exige : pip install --require-hashes).
lock: $(STAMP)
	$(VENV)/bin/pip-compile -q --extra dev --extra devstack --no-emit-index-url --no-emit-find-links --strip-extras \
		-o requirements.lock pyproject.toml
	$(VENV)/bin/pip-compile -q --no-emit-index-url --no-emit-find-links --strip-extras \
		--generate-hashes -c requirements.lock -o requirements-image.lock pyproject.toml

outils-systeme:
	@scripts/outils_systeme.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
