# The flinkspot job image: the stock-ticker job on the official Flink image (Java 17), for Flink
# 1.20 (default) or 2.2, from one source tree (job/ builds it for 1.20, job-flink2/ for 2.2):
#
#   docker build -t <account>.dkr.ecr.<region>.amazonaws.com/flinkspot/stock-ticker:0.1.0 .
#   docker build --build-arg FLINK=2.2 \
#     -t <account>.dkr.ecr.<region>.amazonaws.com/flinkspot/stock-ticker:0.1.0-flink2.2 .
#   docker push  <account>.dkr.ecr.<region>.amazonaws.com/flinkspot/stock-ticker:<tag>
#
# k8s/examples/stock-ticker.yaml (1.20) and stock-ticker-2.2.yaml (2.2) run them:
# jarURI local:///opt/flink/usrlib/stock-ticker.jar.

# Base images: to pin them (and to update a pin), replace each tag by tag@<digest of its
# multi-arch index>, the digest printed by `docker buildx imagetools inspect <image:tag>`, so the
# release's amd64 + arm64 build stays reproducible. Not pinned yet: no verified digest could be
# read where this was written (no registry access).

# The Flink line: 1.20 or 2.2 (the tag of the official flink image, and which module builds).
ARG FLINK=1.20

# --- build: the job's fat jar (job/target or job-flink2/target /stock-ticker.jar) -------------
FROM maven:3.9-eclipse-temurin-17 AS build
ARG FLINK
WORKDIR /src
# The parent pom and the job modules are all the job build reads; dependencies first, for caching.
COPY .mvn .mvn
COPY pom.xml pom.xml
COPY job/pom.xml job/pom.xml
COPY job-flink2/pom.xml job-flink2/pom.xml
RUN case "$FLINK" in 1.20) echo job ;; 2.2) echo job-flink2 ;; \
      *) echo "FLINK=$FLINK: use 1.20 or 2.2" >&2; exit 1 ;; esac > /module \
 && mvn -B -q -f "$(cat /module)/pom.xml" dependency:go-offline
COPY job/src job/src
RUN mvn -B -f "$(cat /module)/pom.xml" package -DskipTests \
 && cp "$(cat /module)/target/stock-ticker.jar" /stock-ticker.jar

# --- run: official Flink on Java 17 -----------------------------------------------------------
FROM flink:${FLINK}-java17
# The S3 filesystem (s3:// for checkpoints, savepoints, HA and the job's sink) is a plugin the
# image ships in opt/; enabling it means copying it into its own folder under plugins/.
RUN mkdir -p /opt/flink/plugins/s3-fs-hadoop \
 && cp /opt/flink/opt/flink-s3-fs-hadoop-*.jar /opt/flink/plugins/s3-fs-hadoop/ \
 && chown -R flink:flink /opt/flink/plugins/s3-fs-hadoop
COPY --from=build --chown=flink:flink /stock-ticker.jar /opt/flink/usrlib/stock-ticker.jar
# The image's own non-root user (uid 9999); the entrypoint is the image's.
USER flink
