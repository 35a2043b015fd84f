package io.jenkins.plugins.kedroemrs.core.aws;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The two IAM calls preflight makes — GetRole and SimulatePrincipalPolicy — over the IAM Query API, signed with the
 * SDK's own SigV4 signer and sent on the factory's shared HTTP client. A stand-in for the SDK's IAM client, which this
 * machine's Maven mirror does not serve at the SDK version of the other clients (2.41.31; mixing versions of one SDK
 * is unsupported); with {@code software.amazon.awssdk:iam} at the BOM's version this class would be its two calls.
 * Throttling and 5xx are tried {@link #ATTEMPTS} times with a doubling pause, as the SDK's standard retry would.
 */
public final class IamQuery {
    static final int ATTEMPTS = 4;
    private static final String VERSION = "2010-05-08";

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final URI endpoint;
    private final String signingRegion;

    IamQuery(SdkHttpClient http, AwsCredentialsProvider credentials, Region region, URI endpointOverride) {
        this.http = http;
        this.credentials = credentials;
        String id = region.id();
        this.signingRegion = id.startsWith("cn-") ? "cn-north-1" : id.startsWith("us-gov-") ? "us-gov-west-1" : "us-east-1";
        this.endpoint = endpointOverride != null ? endpointOverride
                : URI.create(id.startsWith("cn-") ? "https://iam.cn-north-1.amazonaws.com.cn/"
                        : id.startsWith("us-gov-") ? "https://iam.us-gov.amazonaws.com/" : "https://iam.amazonaws.com/");
    }

    /** An IAM error answer (or a transport failure), with the service's code ({@code AccessDenied}, {@code NoSuchEntity}). */
    public static final class IamException extends EngineException {
        private final String code;
        private final int status;

        IamException(String code, int status, String message) {
            super("IAM " + code + (status > 0 ? " (" + status + ")" : "") + ": " + message);
            this.code = code;
            this.status = status;
        }

        public String code() {
            return code;
        }

        public int status() {
            return status;
        }

        /** The caller may not make this call (so nothing can be said about what was asked). */
        public boolean accessDenied() {
            return "AccessDenied".equals(code) || "AccessDeniedException".equals(code) || status == 403;
        }
    }

    /** A role as GetRole shows it. */
    public record Role(String arn, String name, String trustPolicy) {
    }

    /** GetRole by name; the trust policy URL-decoded. */
    public Role getRole(String name) {
        Element role = first(call("GetRole", Map.of("RoleName", name)), "Role");
        String trust = text(role, "AssumeRolePolicyDocument");
        return new Role(text(role, "Arn"), text(role, "RoleName"), trust == null ? null : URLDecoder.decode(trust, StandardCharsets.UTF_8));
    }

    /** SimulatePrincipalPolicy: the decision ({@code allowed}, {@code implicitDeny}, {@code explicitDeny}) per action on one resource. */
    public Map<String, String> simulate(String principalArn, List<String> actions, String resourceArn) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("PolicySourceArn", principalArn);
        for (int i = 0; i < actions.size(); i++) {
            params.put("ActionNames.member." + (i + 1), actions.get(i));
        }
        params.put("ResourceArns.member.1", resourceArn);
        Document answer = call("SimulatePrincipalPolicy", params);
        Map<String, String> decisions = new LinkedHashMap<>();
        NodeList results = answer.getElementsByTagName("EvaluationResults");
        if (results.getLength() > 0) {
            for (Element member : children((Element) results.item(0), "member")) {
                decisions.put(text(member, "EvalActionName"), text(member, "EvalDecision"));
            }
        }
        return decisions;
    }

    /** Any IAM action, for test fixtures (CreateRole, PutRolePolicy); the text of {@code <resultTag>} or {@code null}. */
    String callForTests(String action, Map<String, String> params, String resultTag) {
        Document d = call(action, params);
        NodeList l = resultTag == null ? null : d.getElementsByTagName(resultTag);
        return l == null || l.getLength() == 0 ? null : l.item(0).getTextContent();
    }

    private Document call(String action, Map<String, String> params) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Action", action);
        all.put("Version", VERSION);
        all.putAll(params);
        String body = all.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        long pause = 200;
        for (int attempt = 1; ; attempt++) {
            IamException failure;
            try {
                return send(body);
            } catch (IamException e) {
                failure = e;
            }
            boolean retryable = failure.status() == 429 || failure.status() >= 500 || "Throttling".equals(failure.code());
            if (!retryable || attempt >= ATTEMPTS) {
                throw failure;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure;
            }
            pause *= 2;
        }
    }

    private Document send(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .putHeader("Content-Length", Integer.toString(bytes.length)).build();
        AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(request)
                .payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "iam")
                .putProperty(AwsV4HttpSigner.REGION_NAME, signingRegion));
        try {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(ContentStreamProvider.fromByteArray(bytes)).build()).call();
            byte[] answer;
            try (InputStream in = response.responseBody().map(InputStream.class::cast).orElse(new ByteArrayInputStream(new byte[0]))) {
                answer = in.readAllBytes();
            }
            int status = response.httpResponse().statusCode();
            if (status / 100 != 2) {
                Document doc = null;
                try {
                    doc = answer.length == 0 ? null : parse(answer);
                } catch (IamException notXml) {
                    // a proxy's or load balancer's page: the status says enough
                }
                NodeList errors = doc == null ? null : doc.getElementsByTagName("Error");
                Element error = errors == null || errors.getLength() == 0 ? null : (Element) errors.item(0);
                throw new IamException(error == null ? "HTTP" + status : text(error, "Code"), status,
                        error == null ? "no error document" : String.valueOf(text(error, "Message")));
            }
            Document doc = answer.length == 0 ? null : parse(answer);
            if (doc == null) {
                throw new IamException("EmptyAnswer", status, "IAM answered without a body");
            }
            return doc;
        } catch (IOException e) {
            throw new IamException("NetworkError", 0, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private static Document parse(byte[] xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setNamespaceAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            return b.parse(new ByteArrayInputStream(xml));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IamException("BadAnswer", 0, "IAM's answer is not XML: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Element first(Document doc, String tag) {
        NodeList list = doc.getElementsByTagName(tag);
        if (list.getLength() == 0) {
            throw new IamException("BadAnswer", 0, "IAM's answer has no <" + tag + ">");
        }
        return (Element) list.item(0);
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && tag.equals(e.getTagName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String tag) {
        NodeList list = parent.getElementsByTagName(tag);
        return list.getLength() == 0 ? null : list.item(0).getTextContent();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
