"""The matrix's dossier, made once for every family's rows (``contexte``), and the hook that
gives each family's ``test_matrice`` one test per row of its file. The set-up's steps, and the
dossier they make: mise_en_place.py, mise_en_place_familles.py and dossier.py.
"""

from __future__ import annotations

from datetime import date

import pytest
import pytest_asyncio

from tests.fixtures.plateforme import Plateforme
from tests.fixtures.simulateur import Simulateur
from tests.securite.matrice import mise_en_place
from tests.securite.matrice import mise_en_place_familles as familles
from tests.securite.matrice.dossier import Contexte


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Each family's ``test_matrice``, once per row of its file, read once the whole module
    is loaded: a ``parametrize`` decorator reads ``LIGNES`` where it stands, and rows added
    below it would be routes with a row, never asked."""
    if metafunc.definition.name == "test_matrice":
        lignes = metafunc.module.LIGNES
        ids = [f"{methode} {chemin}" for methode, chemin in lignes]
        metafunc.parametrize("route", list(lignes), ids=ids)


# Made once per session (per process under xdist), for every family file: a second set-up on
# the same platform would be refused (STRUCTURE_MATRICE's name is drawn once, at import), and
# the dossier is the same for every row (docs/reliability.md, « loadfile et pas worksteal »).
@pytest_asyncio.fixture(scope="session")
async def contexte(plateforme: Plateforme, simulateur_session: Simulateur) -> Contexte:
    jour = date.today()
    personne = mise_en_place.personne(jour)
    async with (
        plateforme.client("ref-sophie-girard") as sophie,
        plateforme.client("ref-claire-martin") as claire,
    ):
        pid = await mise_en_place.ouvrir_le_dossier(plateforme, sophie, personne.accueil, jour)
        lien = await mise_en_place.lien_du_carnet(
            simulateur_session, sophie, pid, personne.telephone
        )
        await mise_en_place.incident_sms(plateforme, simulateur_session, sophie, pid)
        await mise_en_place.passe_a_claire(sophie, pid)
        clos = await mise_en_place.jumeau(sophie, jour, personne.nom)
        note, demande = await mise_en_place.equipe_de_suivi(
            plateforme, claire, pid, clos, personne.accueil
        )
        await mise_en_place.clore(plateforme, claire, pid, clos, jour)
    evenement = await familles.evenement_en_attente(plateforme, jour)
    payload = await familles.payload_chiffre()
    structure, cible, jeton_cible, jetons = await familles.comptes_administres(plateforme)
    import_id = await familles.import_en_attente(plateforme)
    document = await familles.document_du_dossier(plateforme, pid)
    empreintes = await mise_en_place.empreintes_actives(plateforme, pid)
    jeton_partenaire = await familles.compte_partenaire(plateforme)
    jetons |= await familles.charge_entreprise(plateforme)
    await familles.donnees_employeurs(plateforme, pid)
    return Contexte(
        document=document,
        import_id=import_id,
        pid=pid,
        clos=clos,
        nom=personne.nom,
        lien=lien,
        empreintes=empreintes,
        contacts=(personne.telephone, personne.telephone.replace(" ", ""), personne.email),
        evenement=evenement,
        jeton_partenaire=jeton_partenaire,
        jetons=plateforme.jetons | jetons,
        payload=payload,
        plateforme=plateforme,
        jour=jour,
        structure=structure,
        cible=cible,
        jeton_cible=jeton_cible,
        note=note,
        demande=demande,
        notification=await familles.notification_de_claire(plateforme, pid),
    )
