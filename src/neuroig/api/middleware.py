"""ASGI middleware of the API (plain ASGI: no per-request task or body copy)."""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from neuroig.api.problems import problem_response

__all__ = ["TimeLimitMiddleware"]


class TimeLimitMiddleware:
    """Answer 503 (problem+json) when a request has not started its answer within
    ``seconds``; an answer already under way is left to finish."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = asyncio.Event()

        async def send_marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.set()
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, send_marked))
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=self.seconds)
        except TimeoutError:
            if started.is_set():
                await task
                return
            task.cancel()
            response = problem_response(
                503,
                f"the request took longer than {self.seconds:g} s and was abandoned; try again",
            )
            await response(scope, receive, send)
