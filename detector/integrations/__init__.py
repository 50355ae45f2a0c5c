"""Integrations with crawling and processing frameworks.

    scrapy.py   DetectorPipeline, a Scrapy item pipeline (also importable as detector.scrapy)

An integration uses only the public API (`detector.Detector`, `detector.Options`,
`PageResult`), so it can never reach past a stage, and imports its framework itself:
importing detector never imports Scrapy.
"""
