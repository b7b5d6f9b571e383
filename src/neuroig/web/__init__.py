"""The clinic's web pages: server-rendered Jinja2, on the same services as the API."""

from neuroig.web.pages import install_web

__all__ = ["install_web"]
