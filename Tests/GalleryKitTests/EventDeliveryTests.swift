import Foundation
import GalleryKit
import Testing

struct EventDeliveryTests {
    static func s3Event(_ keys: [(String, String)]) -> String {
        let records = keys.map { name, key in
            #"{"eventVersion":"2.1","eventSource":"aws:s3","eventName":"\#(name)","s3":{"bucket":{"name":"gallery"},"object":{"key":"\#(key)","size":70,"eTag":"abc"}}}"#
        }
        return #"{"Records":[\#(records.joined(separator: ","))]}"#
    }

    @Test func s3EventsDecodeKeysAndIgnoreOtherEvents() throws {
        let body = Self.s3Event([
            ("ObjectCreated:Post", "photos/a+b%2Bc%C3%BC.png"), ("ObjectRemoved:Delete", "photos/gone"),
            ("ObjectCreated:Put", "index.html"),
        ])
        let delivery = try EventDelivery.parse(Data(body.utf8))
        #expect(delivery.createdKeys == ["photos/a b+cü.png", "index.html"])
        #expect(delivery.ignored == 1)
    }

    @Test func snsWrapsTheEventAsAString() throws {
        let inner = Self.s3Event([("ObjectCreated:Post", "photos/x%20y")])
        let message = String(
            decoding: try JSONSerialization.data(withJSONObject: ["Type": "Notification", "Message": inner]),
            as: UTF8.self)
        #expect(try EventDelivery.parse(Data(message.utf8)).createdKeys == ["photos/x y"])
        let test = #"{"Type":"Notification","Message":"{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\"}"}"#
        #expect(try EventDelivery.parse(Data(test.utf8)) == EventDelivery(ignored: 1))
        let confirmation =
            #"{"Type":"SubscriptionConfirmation","SubscribeURL":"https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=t"}"#
        #expect(
            try EventDelivery.parse(Data(confirmation.utf8)).subscribeURL
                == "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=t")
    }

    @Test func minioWebhookShape() throws {
        let body =
            #"{"EventName":"s3:ObjectCreated:Put","Key":"gallery/photos/m","Records":[{"eventName":"s3:ObjectCreated:Put","s3":{"bucket":{"name":"gallery"},"object":{"key":"photos%2Fm","size":70}}}]}"#
        #expect(try EventDelivery.parse(Data(body.utf8)).createdKeys == ["photos/m"])
    }

    @Test(arguments: [
        "", "[]", "null", "{}", #"{"Type":"Weird"}"#,
        #"{"Records":[{"eventName":"ObjectCreated:Put","s3":{"object":{"key":"%ZZ"}}}]}"#,
    ])
    func refusesWhatIsNotAnEvent(_ body: String) {
        #expect(throws: EventDelivery.Problem.self) { try EventDelivery.parse(Data(body.utf8)) }
    }
}
