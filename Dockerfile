FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY engine ./engine
COPY graph ./graph
COPY api ./api
COPY workers ./workers
RUN pip install --no-cache-dir .
RUN useradd --create-home tahaluf
USER tahaluf
EXPOSE 8000
CMD ["tahaluf", "serve", "--no-worker", "--host", "0.0.0.0"]
