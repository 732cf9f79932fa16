"""What a command, the accueil and a read answer: the state without the vigie's rules
(issue 19: ≈ 4 KiB nobody outside the workflow reads, serialised, encrypted and stored in the
history with every answer), while the workflow keeps them and its vigie goes on."""

from __future__ import annotations

from schemas.parcours import ParcoursState
from services.parcours_client import ParcoursClient
from tests.factories import CLAIRE, accueil_rsa, diagnostic


async def test_les_reponses_laissent_les_regles_dans_le_workflow(
    parcours: ParcoursClient, aujourd_hui
):
    ouvert = await parcours.ouvrir(accueil_rsa(aujourd_hui), CLAIRE)
    pid = ouvert.parcours_id
    commande = await parcours.commander(
        pid, "enregistrer_diagnostic", diagnostic(aujourd_hui), CLAIRE
    )
    lu = await parcours.etat(pid)

    assert [ouvert.regles, commande.regles, lu.regles] == [None, None, None]
    assert lu.proposition_orientation is not None  # the rest of the state is all there
    complet = await parcours.handle(pid).query("etat_complet", result_type=ParcoursState)
    assert complet.regles is not None  # what the rebuild reads
    assert complet.regles.ruptures
    # not compared whole: the projection that follows the command may end between the reads
    # (it records the timeline lines written, in the state's counters)
    assert complet.proposition_orientation == lu.proposition_orientation
