"""The parcours workflow of a faulty deployment (its own module: the sandbox imports it).
It writes one timer more than the real code before each projection, only when it is not
replaying, so the tasks it completes are ones the real code cannot replay."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from schemas.parcours import ParcoursInput, ParcoursState

from workflows.parcours import ParcoursWorkflow


@workflow.defn(name="Parcours")
class ParcoursDefectueux(ParcoursWorkflow):
    @workflow.run
    async def run(self, entree: ParcoursInput) -> ParcoursState:
        return await super().run(entree)

    async def _publier(self) -> None:
        if not workflow.unsafe.is_replaying():
            await workflow.sleep(timedelta(milliseconds=10))  # the command the real code lacks
        await super()._publier()
