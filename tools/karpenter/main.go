// Command karpenter-crds writes the CustomResourceDefinitions of Karpenter's AWS provider
// (NodePool, NodeClaim, EC2NodeClass) as one multi-document YAML stream on stdout. The CRDs
// are the ones the published Go module embeds (pinned in go.mod); the tests create them in
// the test API server to validate k8s/karpenter/ against Karpenter's real schema.
package main

import (
	"os"

	"github.com/aws/karpenter-provider-aws/pkg/apis"
)

func main() {
	for _, crd := range [][]byte{apis.NodePoolCRD, apis.NodeClaimCRD, apis.EC2NodeClassCRD} {
		os.Stdout.WriteString("---\n")
		os.Stdout.Write(crd)
	}
}
