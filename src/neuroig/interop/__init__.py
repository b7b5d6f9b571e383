"""Exchange with other systems: FHIR R4 resources read from an EHR (CDS Hooks).

A shell package: it reads and writes the formats of other systems and calls only the
services and the public result models. Import each name from its module.
"""
