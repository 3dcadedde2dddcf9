"""Ingest new articles: candidate facts with quotes, reviewed, then merged into the seeds.

Stages (each its own module):
    read.read_article      file                  -> Article (UTF-8 text; HTML, .docx)
    known.KnownIndex       seed tables           -> names/aliases -> ids, jieba dictionary
    extract.extract        text + index          -> [Candidate] (each with a verbatim quote;
                                                    text: words and sentences, facts:
                                                    project details, statistics, relations)
    propose.propose        articles + seeds      -> Proposal (ids, references, seed rows)
    review.write_review    Proposal              -> review.xlsx, review.html, candidates.json
    accept.accept          review.xlsx + seeds   -> seeds with the accepted rows (checked by
                                                    the normal loader and build, or unchanged)
"""

from chainkg.ingest.accept import AcceptReport, accept
from chainkg.ingest.propose import Proposal, propose
from chainkg.ingest.review import read_review, write_review

__all__ = ["AcceptReport", "Proposal", "accept", "propose", "read_review", "write_review"]
