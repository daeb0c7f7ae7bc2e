# veredicto serve in a container: a static binary on a distroless base,
# run as a non-root user. Build from the repository root:
#   docker build -t veredicto .
# Without Docker, the same binary: CGO_ENABLED=0 go build -trimpath -o veredicto ./cmd/veredicto
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/veredicto ./cmd/veredicto

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/veredicto /usr/local/bin/veredicto
COPY policies/mx-onboarding.yaml /etc/veredicto/policy.yaml
USER nonroot:nonroot
ENV VEREDICTO_POLICY=/etc/veredicto/policy.yaml \
    VEREDICTO_ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/veredicto"]
CMD ["serve"]
