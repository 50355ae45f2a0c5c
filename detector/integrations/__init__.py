"""Integrations with crawling and processing frameworks (Scrapy, Spark, ...).

Empty for now. An integration uses only the public API (`detector.Detector`,
`detector.Options`, `detector.output`), so it can never reach past a stage.
"""
