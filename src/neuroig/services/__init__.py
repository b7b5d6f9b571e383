"""Use cases around the pure core: each owns its orchestration, settings and error mapping.

:mod:`~neuroig.services.assess`, :mod:`~neuroig.services.plan`,
:mod:`~neuroig.services.review`, :mod:`~neuroig.services.electro`,
:mod:`~neuroig.services.validate` and :mod:`~neuroig.services.batch` take a case source
(a path, ``-``, a mapping or a ``Case``) and options, and return the result with its
stamped public model (:mod:`neuroig.schemas`); :mod:`~neuroig.services.errors` maps any
failure to ``neuroig-error/1`` and an exit code. A CLI command is one call plus rendering.
"""
